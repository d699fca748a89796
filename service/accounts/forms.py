from core.images import clean_uploaded_image
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.files.uploadedfile import UploadedFile

from accounts.models import Profile


class SignupForm(UserCreationForm):
    """username, email, password1, password2. The email address receives password resets."""

    email = forms.EmailField(required=True, help_text="Where password reset links are sent.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ("display_name", "bio", "avatar")
        widgets = {"bio": forms.Textarea(attrs={"rows": 3, "maxlength": 160})}

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        # A new upload is checked; an unchanged avatar (or a cleared one) passes through.
        if isinstance(avatar, UploadedFile):
            return clean_uploaded_image(avatar)
        return avatar
