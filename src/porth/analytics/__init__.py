"""Service performance data: private server-side events, rollups, the four KPIs, usage
patterns, satisfaction and experiments, and the dashboards that show them (docs/analytics.md)."""
