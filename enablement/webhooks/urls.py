from django.urls import path

from enablement.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="endpoint-list"),
    path("new/", views.endpoint_create, name="endpoint-create"),
    path("<id:pk>/", views.endpoint_detail, name="endpoint-detail"),
    path("<id:pk>/edit/", views.endpoint_update, name="endpoint-update"),
    path("<id:pk>/deactivate/", views.endpoint_deactivate, name="endpoint-deactivate"),
    path("<id:pk>/activate/", views.endpoint_activate, name="endpoint-activate"),
    path("<id:pk>/rotate-secret/", views.endpoint_rotate_secret, name="endpoint-rotate-secret"),
    path("<id:pk>/test/", views.endpoint_send_test, name="endpoint-send-test"),
    path("deliveries/<id:pk>/", views.delivery_detail, name="delivery-detail"),
    path("deliveries/<id:pk>/redeliver/", views.delivery_redeliver, name="delivery-redeliver"),
]
