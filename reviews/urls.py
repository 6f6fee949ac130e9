from django.urls import path

from reviews.views import ops, seller, storefront

app_name = "reviews"

urlpatterns = [
    path("reviews/pending/", storefront.pending, name="pending"),
    path("reviews/mine/", storefront.my_reviews, name="mine"),
    path("reviews/new/<int:line_id>/", storefront.review_new, name="new"),
    path("reviews/<int:pk>/followup/", storefront.followup, name="followup"),
    path("p/<int:pk>/reviews/", storefront.product_reviews, name="product_reviews"),
    path("p/<int:pk>/questions/", storefront.product_questions, name="product_questions"),
    path("questions/<int:pk>/answer/", storefront.answer, name="answer"),
    path("seller/reviews/", seller.seller_reviews, name="seller_reviews"),
    path("seller/reviews/<int:pk>/reply/", seller.seller_reply, name="seller_reply"),
    path("ops/experience/", ops.experience_page, name="ops_experience"),
    path("ops/experience.csv", ops.experience_csv, name="ops_experience_csv"),
    path("ops/reviews/", ops.review_list, name="ops_reviews"),
    path("ops/reviews/<int:pk>/hide/", ops.review_hide, name="ops_review_hide"),
]
