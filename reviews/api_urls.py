from django.urls import path

from reviews import api

urlpatterns = [
    path("reviews/", api.ReviewListCreateView.as_view(), name="api-reviews"),
    path("reviews/pending/", api.PendingLinesView.as_view(), name="api-reviews-pending"),
    path("reviews/<int:pk>/followup/", api.FollowupView.as_view(), name="api-review-followup"),
    path("products/<int:pk>/reviews/", api.ProductReviewsView.as_view(), name="api-product-reviews"),
    path(
        "products/<int:pk>/reviews/summary/", api.ProductReviewSummaryView.as_view(), name="api-product-review-summary"
    ),
    path("products/<int:pk>/questions/", api.ProductQuestionsView.as_view(), name="api-product-questions"),
    path("questions/<int:pk>/answers/", api.AnswerView.as_view(), name="api-question-answers"),
    path("seller/reviews/", api.SellerReviewListView.as_view(), name="api-seller-reviews"),
    path("seller/reviews/<int:pk>/reply/", api.SellerReplyView.as_view(), name="api-seller-review-reply"),
    path("seller/stores/<int:store_id>/dsr/", api.SellerStoreDSRView.as_view(), name="api-seller-store-dsr"),
    path("ops/reviews/<int:pk>/hide/", api.OpsHideView.as_view(), name="api-ops-review-hide"),
    path("ops/experience/", api.OpsExperienceView.as_view(), name="api-ops-experience"),
]
