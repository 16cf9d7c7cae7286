"""Sign-in forms. Staff pages are English only, so the messages are not translated."""

import re
from typing import Any

from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(
        max_length=150, strip=True, error_messages={"required": "Enter your user name"}
    )
    password = forms.CharField(
        max_length=4096, strip=False, error_messages={"required": "Enter your password"}
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the 6-digit security code from your authenticator app"},
    )

    def clean_code(self) -> str:
        # People copy codes with spaces ("123 456") or dashes: forgive both.
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("Enter the security code as 6 digits, like 123456")
        return code


def error_list(form: forms.Form) -> list[dict[str, Any]]:
    """The form's errors for govukErrorSummary: each links to its field."""
    return [
        {"text": str(messages[0]), "href": f"#{field}"}
        for field, messages in form.errors.items()
        if field != "__all__"
    ]
