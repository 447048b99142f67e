"""
Types the apps share.

`Actor` is whoever does something: a signed-in account, or None for the person served
acting by SMS or for the system itself. It names Django's own user base class so that
the low layers (audit, sites) can take one without importing accounts, which stands
above them; the accounts app's `request_actor()` turns a request into its `User`.
"""

from django.contrib.auth.base_user import AbstractBaseUser

Actor = AbstractBaseUser | None
