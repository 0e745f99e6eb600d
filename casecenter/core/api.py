"""Small helpers shared by the apps' API modules."""

from rest_framework.settings import api_settings


def paginate(view, request, queryset, serializer_class):
    """Page ``queryset`` with the project's paginator and serialise the page with ``serializer_class``."""
    paginator = api_settings.DEFAULT_PAGINATION_CLASS()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)
