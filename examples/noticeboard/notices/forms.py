from django import forms
from django.conf import settings

from notices.models import Notice


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "body", "photo", "poster_name", "poster_email"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        limit = settings.NOTICE_PHOTO_MAX_BYTES
        if photo and photo.size > limit:
            raise forms.ValidationError(f"A photo may be at most {limit // (1024 * 1024)} MB.")
        return photo
