from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.forms import ProfileForm, SignupForm
from accounts.models import Follow
from core.renditions import delete_with_renditions, store_renditions
from core.responses import redirect_back, refuse
from tweets.pages import paginate
from tweets.timelines import profile_tweets

User = get_user_model()
SIGN_IN_BACKEND = "tweets.backends.TimelineVersionBackend"


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:
            # Another sign-up took the username or the address (the database's unique indexes
            # decide) after this form was checked: check again, and say which.
            form.full_clean()
            return render(request, "registration/signup.html", {"form": form}, status=400)
        # This backend loads the user together with the versions of their cached timelines, so
        # a new account's pages cost what a returning user's do.
        login(request, user, backend=SIGN_IN_BACKEND)
        messages.success(
            request, "Welcome! Follow a few people from Explore to fill your timeline."
        )
        return redirect("explore")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/signup.html", {"form": form}, status=status)


@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    author = get_object_or_404(User.objects.select_related("profile"), username=username)
    context = {
        "author": author,
        "page": paginate(request, profile_tweets(author)),
        "follower_count": Follow.objects.filter(followee=author).count(),
        "following_count": Follow.objects.filter(follower=author).count(),
        "viewer_follows": Follow.objects.filter(follower=request.user, followee=author).exists(),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def follow(request: HttpRequest, username: str) -> HttpResponse:
    followee = get_object_or_404(User, username=username)
    if followee.pk == request.user.pk:
        return refuse(request, "You cannot follow yourself.", status=400)
    try:
        with transaction.atomic():
            Follow.objects.create(follower=request.user, followee=followee)
    except IntegrityError:
        return refuse(request, f"You already follow @{followee.get_username()}.", status=409)
    return redirect_back(request, default=f"/u/{followee.get_username()}/")


@require_POST
def unfollow(request: HttpRequest, username: str) -> HttpResponse:
    followee = get_object_or_404(User, username=username)
    deleted, _ = Follow.objects.filter(follower=request.user, followee=followee).delete()
    if not deleted:
        return refuse(request, f"You do not follow @{followee.get_username()}.", status=409)
    return redirect_back(request, default=f"/u/{followee.get_username()}/")


@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    profile = request.user.profile
    previous_avatar = profile.avatar.name
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            # The profile and the version bump of the timelines that show it commit together,
            # so a failure in between cannot leave a cached page with the old profile.
            with transaction.atomic():
                form.save()
                store_renditions(profile.avatar, form.cleaned_data.get("avatar"))
            if previous_avatar and previous_avatar != profile.avatar.name:
                # The replaced (or cleared) avatar leaves the bucket once the change is saved.
                storage = profile.avatar.storage
                transaction.on_commit(lambda: delete_with_renditions(storage, previous_avatar))
            messages.success(request, "Profile saved.")
            return redirect("profile", username=request.user.get_username())
        return render(request, "accounts/edit_profile.html", {"form": form}, status=400)
    return render(request, "accounts/edit_profile.html", {"form": form})
