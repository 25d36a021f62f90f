from django.urls import path

from .views import manage, public

app_name = "consumption"
urlpatterns = [
    path("", public.listing, name="listing"),
    path("sessions/<int:pk>/", public.session_detail, name="session_detail"),
    path("sessions/<int:pk>/seats.json", public.session_seats_json, name="session_seats_json"),
    path("sessions/<int:pk>/order/", public.order_place, name="order_place"),
    path("orders/", public.order_list, name="order_list"),
    path("orders/<int:pk>/", public.order_detail, name="order_detail"),
    path("orders/<int:pk>/pay/", public.order_pay, name="order_pay"),
    path("orders/<int:pk>/cancel/", public.order_cancel, name="order_cancel"),
    path("payments/<slug:provider>/callback/", public.payment_callback, name="payment_callback"),
    path("manage/", manage.manage, name="manage"),
    path("manage/venues/new/", manage.venue_create, name="venue_create"),
    path("manage/venues/<int:pk>/", manage.venue_detail, name="venue_detail"),
    path("manage/venues/<int:pk>/edit/", manage.venue_edit, name="venue_edit"),
    path("manage/venues/<int:pk>/halls/", manage.hall_create, name="hall_create"),
    path("manage/venues/<int:pk>/events/", manage.event_create, name="event_create"),
    path("manage/halls/<int:pk>/map/", manage.hall_map, name="hall_map"),
    path("manage/halls/<int:pk>/import/", manage.hall_import, name="hall_import"),
    path("manage/events/<int:pk>/edit/", manage.event_edit, name="event_edit"),
    path("manage/events/<int:pk>/sessions/new/", manage.session_create, name="session_create"),
    path("manage/sessions/<int:pk>/", manage.session_office, name="session_office"),
    path("manage/sessions/<int:pk>/checkin/", manage.checkin, name="checkin"),
    path("manage/orders/<int:pk>/refund/", manage.order_refund, name="order_refund"),
]
