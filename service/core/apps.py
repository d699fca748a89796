import warnings

from django.apps import AppConfig
from django.conf import settings
from PIL import Image


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Operations: error pages, images, sessions"

    def ready(self) -> None:
        # Pillow's own decompression-bomb check, made to match the upload limit: Image.open and
        # each GIF frame that grows the canvas raise DecompressionBombError above twice
        # MAX_IMAGE_PIXELS, before any pixel is decoded, wherever the process opens an image
        # (forms.ImageField opens uploads before core.images sees them). Between once and twice
        # Pillow only warns; core.images refuses those itself, so the warning says nothing new.
        # https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_UPLOAD_MAX_PIXELS
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
