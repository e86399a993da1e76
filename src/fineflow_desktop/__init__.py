"""FineFlow Desktop: documents and chat logs in, clean fine-tuning datasets out."""

__version__ = "0.1.0"
APP_NAME = "FineFlow Desktop"
