"""How the key header is described in the OpenAPI schema."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "kunciApi"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Kunci API dari BKPSDM, dikirim sebagai `Authorization: Bearer <kunci>` "
                    "(atau header `X-Api-Key`)."
                )
            ),
        }
