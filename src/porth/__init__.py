"""Porth: put public services online from a service definition."""
