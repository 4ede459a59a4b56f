"""The pool's one app client (the website): its id, callback URLs and sign-out URLs.

Cognito redirects only to URLs registered on the app client, compared exactly, not by origin or
prefix. CreateUserPoolClient's CallbackURLs: "Amazon Cognito doesn't accept authorization requests
with redirect_uri values that aren't in the list of CallbackURLs that you provide"
(https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/cognitoidentityprovider/aws.sdk.kotlin.services.cognitoidentityprovider.model/-create-user-pool-client-request/callback-urls.html);
the /logout endpoint: "If the value of logout_uri is one of the Allowed sign-out URLs for your app
client, Amazon Cognito redirects users to that URL"
(https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html).
So a different path, query, port, a prefix or an added trailing slash are all refused here too. The
pages do not say whether the scheme and host are compared case-insensitively; we compare the
string as sent, the strictest reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def site_url(origin: str) -> str:
    """The URL the website signs in and out from: its origin's root, as the template registers
    (UserPoolClient CallbackURLs and LogoutURLs are `https://<site>/`)."""
    return origin.rstrip("/") + "/"


@dataclass(frozen=True)
class AppClient:
    client_id: str
    callback_urls: tuple[str, ...]
    logout_urls: tuple[str, ...]

    def is_callback_url(self, uri: str) -> bool:
        return uri in self.callback_urls

    def is_logout_url(self, uri: str) -> bool:
        return uri in self.logout_urls

    @property
    def origins(self) -> frozenset[str]:
        """The origins of the registered URLs: the only ones CORS answers for."""
        return frozenset(origin_of(u) for u in (*self.callback_urls, *self.logout_urls))
