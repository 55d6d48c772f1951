from django.urls import path

from . import views, views_center

app_name = "credit"

urlpatterns = [
    path("mine/", views.teacher_home, name="teacher_home"),
    path("school/", views.school_home, name="school_home"),
    path("records/<uuid:code>/", views.record_detail, name="record"),
    path("files/<uuid:code>/", views.file_download, name="file"),
    path("bureau/", views.bureau_counts, name="bureau_counts"),
    path("center/recognition/<slug:kind>/", views_center.recognition_list, name="recognition"),
    path("center/exchange/", views_center.exchange, name="exchange"),
    path("center/exchange/export/<slug:kind>.<slug:fmt>", views_center.export, name="export"),
    path("center/exchange/schema.json", views_center.schema, name="schema"),
]
