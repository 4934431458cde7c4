from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Notification
from .services import mark_read, set_reminders


@login_required
def notice_list(request):
    """The viewer's notices, newest first; the ones shown are marked read."""
    page = Paginator(Notification.objects.filter(recipient=request.user), 30).get_page(
        request.GET.get("page")
    )
    notices = list(page.object_list)
    unread = [n.pk for n in notices if n.read_at is None]
    if unread:
        mark_read(request.user, unread)
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notices": notices, "unread_ids": set(unread)},
    )


@require_POST
@login_required
def mark_all_read(request):
    mark_read(request.user)
    return redirect("notifications:list")


@require_POST
@login_required
def reminders(request):
    """The check-in reminder on or off, from the profile page."""
    on = request.POST.get("reminders") == "on"
    set_reminders(request.user, on)
    messages.success(
        request,
        _("Pengingat presensi dinyalakan.") if on else _("Pengingat presensi dimatikan."),
    )
    return redirect("opd:profile")
