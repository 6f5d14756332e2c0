"""Types the services share."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

# Who acts in a service call: a person, or None for the system (migrations, the demo, commands).
Actor = AbstractBaseUser | None
