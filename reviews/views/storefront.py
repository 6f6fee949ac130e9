"""Shopper pages: 待评价 (lines to review), the review form, my reviews with follow-ups, and the product page's
reviews and Q&A sections (htmx partials, so the cached product page stays cached)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.api import DomainError
from reviews import section_cache, selectors
from reviews.forms import AnswerForm, QuestionForm, ReviewForm, TextForm
from reviews.services import qa
from reviews.services import reviews as review_services
from shops.models import Product

PAGE_SIZE = 10


@login_required
def pending(request):
    lines = Paginator(selectors.lines_to_review(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "storefront/reviews/pending.html", {"page": lines})


@login_required
def review_new(request, line_id: int):
    try:
        line = review_services.reviewable_line(request.user, line_id)
    except DomainError as exc:
        raise Http404 from exc
    problem = review_services.refusal(line)
    form = ReviewForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and problem is None and form.is_valid():
        data = form.cleaned_data
        try:
            review_services.post_review(
                shopper=request.user,
                line_id=line.pk,
                rating=data["rating"],
                text=data["text"],
                dsr={key: data[f"dsr_{key}"] for key in review_services.DSR_KEYS},
                anonymous=data["anonymous"],
                photos=data["photos"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you for your review."))
            return redirect("reviews:pending")
    return render(request, "storefront/reviews/form.html", {"line": line, "form": form, "problem": problem})


@login_required
def my_reviews(request):
    page = Paginator(selectors.shopper_reviews(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "storefront/reviews/mine.html", {"page": page, "form": TextForm()})


@require_POST
@login_required
def followup(request, pk: int):
    form = TextForm(request.POST)
    try:
        review_services.own_review(request.user, pk)  # someone else's review is a 404 whatever the body says
        if not form.is_valid():
            raise DomainError(_("Write something first (at most 500 characters)."), code="invalid_text")
        review_services.add_followup(shopper=request.user, review_id=pk, text=form.cleaned_data["text"])
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Follow-up added."))
    return redirect("reviews:mine")


@require_safe
def product_reviews(request, pk: int):
    """The product page's reviews section: counts, average, filters, newest first, paginated (htmx partial)."""
    show = request.GET.get("show") if request.GET.get("show") in selectors.FILTERS else ""
    if not request.htmx:
        return render(request, "storefront/reviews/product.html", _reviews_context(pk, show, request))
    key = section_cache.section_key(pk, show, request.GET.get("page"), get_language())
    section = cache.get(key)
    if section is None:
        section = render_to_string("storefront/reviews/_product_reviews.html", _reviews_context(pk, show, request))
        cache.set(key, section, section_cache.SECTION_SECONDS)
    return HttpResponse(section)


def _reviews_context(pk: int, show: str, request) -> dict:
    product = get_object_or_404(Product, pk=pk)
    page = Paginator(selectors.product_reviews(pk, show), PAGE_SIZE).get_page(request.GET.get("page"))
    return {"product": product, "summary": selectors.product_summary(pk), "page": page, "show": show}


def product_questions(request, pk: int):
    """问大家 on the product page (htmx partial); POST asks a question."""
    product = get_object_or_404(Product, pk=pk)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(f"/p/{pk}/")
        if form.is_valid():
            try:
                qa.ask(shopper=request.user, product_id=pk, text=form.cleaned_data["text"])
            except DomainError as exc:
                form.add_error("text", exc.message)
            else:
                form = QuestionForm()
    questions = Paginator(selectors.product_questions(pk), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"product": product, "page": questions, "form": form, "answer_form": AnswerForm()}
    template = "storefront/reviews/_questions.html" if request.htmx else "storefront/reviews/questions.html"
    return render(request, template, context)


@require_POST
@login_required
def answer(request, pk: int):
    form = AnswerForm(request.POST)
    question = get_object_or_404(selectors.product_questions_all(), pk=pk)
    try:
        if not form.is_valid():
            raise DomainError(_("Write something first (at most 300 characters)."), code="invalid_text")
        qa.answer(user=request.user, question_id=pk, text=form.cleaned_data["text"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you for answering."))
    return redirect("reviews:product_questions", pk=question.product_id)
