"""What ``scheduling`` does when other apps' rows change (connected in ``apps.ready``)."""

from opd.models import Employee


def employee_waits_for_builds(sender, instance, using, **kwargs):
    """Before an employee is deleted, lock their row ``FOR UPDATE``.

    Django deletes the roster entries first and the employee after. A build holds its
    employees ``FOR KEY SHARE`` (``services.build._hold``) while it writes their entries;
    the entries' DELETE would not see them, and once the build committed the employee's
    DELETE would go through: entries naming nobody. Taking the row lock first makes the
    whole delete wait for the build, and then the entries' DELETE sees them. A build
    that starts after this lock waits instead, and finds the employee gone."""
    list(Employee.objects.using(using).select_for_update().filter(pk=instance.pk).values("pk"))
