"""
Who may do what: the one vocabulary of permissions (django-rules).

Every question is asked as `user.has_perm("app.codename", obj)`, by views, the API's
permission classes, the admin and templates (`perms.app.codename`) alike. The answer
comes from the rules each app registers in its own rules.py, built from the
predicates below; role groups carry no Django permissions of their own. A rule is
asked afresh on every request (roles and sites are read once per request), so a
volunteer who is deactivated or loses a role loses access on their next request.

Roles are Django groups (roles.py). A superuser counts as a coordinator here, and
nothing more: running the server is not a reason to read medical or legal notes.
"""

from typing import Any

import rules

from .roles import Role, user_role_names
from .scoping import user_site_ids


@rules.predicate
def is_active_account(user: Any) -> bool:
    """Signed in, switched on, and not past their departure date (even if the hourly
    task has not switched the account off yet)."""
    return bool(user.is_authenticated and user.is_active and not user.has_left())


def _has_role(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"has_role:{role}")
    def check(user: Any) -> bool:
        return role in user_role_names(user)

    return is_active_account & check


is_coordinator = is_active_account & (_has_role(Role.COORDINATOR) | rules.is_superuser)
is_volunteer = _has_role(Role.VOLUNTEER)
is_medical = _has_role(Role.MEDICAL)
is_legal = _has_role(Role.LEGAL)
has_a_role = is_coordinator | is_volunteer | is_medical | is_legal


@rules.predicate
def works_at_site(user: Any, obj: Any) -> bool:
    """
    The object's site (a Site, or anything with a site_id) is one of the user's sites;
    coordinators work at every site. Without an object, the question is left to the
    other predicates: a list is scoped by its selector (scoping.py).
    """
    if obj is None:
        return True
    site_ids = user_site_ids(user)
    if site_ids is None:
        return True
    site_id = obj.pk if obj._meta.label == "sites.Site" else getattr(obj, "site_id", None)
    return site_id in site_ids


# The roles that pass a second factor after their password (middleware.py).
needs_second_factor = is_coordinator | is_medical | is_legal

rules.add_perm("accounts.use_admin", is_coordinator)
rules.add_perm("accounts.view_user", is_coordinator)
# Everyone with a role keeps their own profile (languages, skills, stay, phone).
rules.add_perm("accounts.change_own_profile", has_a_role)
# Coordinators bring volunteers in, see them through their stay and out.
rules.add_perm("accounts.add_invitation", is_coordinator)
rules.add_perm("accounts.view_invitation", is_coordinator)
rules.add_perm("accounts.change_invitation", is_coordinator)
rules.add_perm("accounts.extend_stay", is_coordinator)
rules.add_perm("accounts.reset_second_factor", is_coordinator)
# Sites and the audit log stand below accounts, so their rules are written here.
# Asked of one site, view_site answers whether the user works there: the sites list
# is built from it (services/sites/selectors.py::site_list_for).
rules.add_perm("sites.view_site", has_a_role & works_at_site)
rules.add_perm("sites.add_site", is_coordinator)
rules.add_perm("sites.change_site", is_coordinator)
rules.add_perm("audit.view_auditentry", is_coordinator)
# The admin shows an app's models to whoever holds the app's module permission.
for _app in ("accounts", "audit", "sites", "people", "messaging"):
    rules.add_perm(_app, is_coordinator)
