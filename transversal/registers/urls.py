from django.urls import path  # noqa: F401  (the register pages add their paths below)

app_name = "registers"

urlpatterns: list = [
    # pages of the registers (views.py)
    # import (views_import.py)
    # feeds (views_feeds.py)
]
