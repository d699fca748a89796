from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from notices.forms import NoticeForm
from notices.mail import tell_moderator
from notices.models import Board, Notice


def boards(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/boards.html", {"boards": Board.objects.all()})


def board(request: HttpRequest, slug: str) -> HttpResponse:
    """The board's approved notices, and the form to pin a new one."""
    shown = get_object_or_404(Board, slug=slug)
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        notice = form.save(commit=False)
        notice.board = shown
        notice.save()
        tell_moderator(notice, f"{request.scheme}://{request.get_host()}")
        messages.success(request, "Thank you: your notice shows once a moderator approves it.")
        return redirect(shown)
    notices = shown.notices.filter(approved=True).prefetch_related("tags")
    return render(request, "notices/board.html", {"board": shown, "notices": notices, "form": form})


def notice(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    approved = Notice.objects.filter(board__slug=slug, approved=True).select_related("board")
    shown = get_object_or_404(approved, pk=pk)
    return render(request, "notices/notice.html", {"notice": shown, "board": shown.board})
