from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Profile
from core.images import UploadedImageField
from core.renditions import AVATAR_RENDITIONS


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
    avatar = UploadedImageField(required=False, renditions=AVATAR_RENDITIONS)

    class Meta:
        model = Profile
        fields = ("display_name", "bio", "avatar")
        widgets = {"bio": forms.Textarea(attrs={"rows": 3, "maxlength": 160})}
