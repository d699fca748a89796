from django import forms

from core.images import UploadedImageField
from core.renditions import ATTACHMENT_RENDITIONS
from tweets.models import TWEET_MAX_LENGTH, Tweet


class TweetForm(forms.ModelForm):
    """POST /tweets/: text (1-280 characters), an optional image, and for a reply the tweet
    it answers (`reply_to`, a tweet id)."""

    image = UploadedImageField(required=False, renditions=ATTACHMENT_RENDITIONS)
    reply_to = forms.ModelChoiceField(
        queryset=Tweet.objects.all(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Tweet
        fields = ("text", "image", "reply_to")
        widgets = {
            "text": forms.Textarea(
                attrs={"rows": 3, "maxlength": TWEET_MAX_LENGTH, "placeholder": "What's happening?"}
            )
        }
        error_messages = {
            "text": {
                "max_length": (
                    "A tweet is at most %(limit_value)d characters (this one has %(show_value)d)."
                ),
                "required": "Write something first.",
            }
        }

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Write something first.", code="required")
        return text
