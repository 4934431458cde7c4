from .access import employee_of, role_of


def viewer(request):
    """The viewer's role and employee record for the navigation bar (no extra query:
    the auth backend loads the employee with the user)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"viewer_role": role_of(user), "viewer_employee": employee_of(user)}
