"""Feide's rules: what the claims say about who signed in, how strongly, and which classes they teach."""
import re
from dataclasses import dataclass

# the authentication level Feide gives a log-in with two factors; asked for with acr_values and
# read back from the ID token's `acr` claim (docs.feide.no, "Service-initiated MFA using OpenID Connect")
MFA_ACR = "urn:mace:feide.no:auth:level:fad08:3"
# the feide-id (eduPersonPrincipalName), given by the userinfo endpoint with the userid-feide scope
FEIDE_ID_CLAIM = "https://n.feide.no/claims/eduPersonPrincipalName"
FEIDE_ID = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FEIDE_ID_MAX = 200
# a basis group (a class) in Feide's groups API: a GO group of the kind "b"
GO_GROUP = "fc:gogroup"
BASIS_GROUP = "b"


class ClaimsProblem(Exception):
    """The provider's answers do not agree about who signed in."""


@dataclass(frozen=True)
class Identity:
    """Who Feide says signed in: the stable user id, the feide-id, the e-mail, and whether with two factors."""

    sub: str
    feide_id: str
    email: str
    mfa: bool


def clean_feide_id(value):
    """A feide-id as typed (any case, spaces around) in the form it is kept in: lower case."""
    return (value or "").strip().lower()


def feide_id_problem(feide_id):
    """A Norwegian message if a cleaned feide-id cannot be one, else None ("" is none: no link)."""
    if feide_id and (len(feide_id) > FEIDE_ID_MAX or not FEIDE_ID.match(feide_id)):
        return "Skriv Feide-brukernavnet slik: brukernavn@organisasjon.no."
    return None


def identity(id_token_claims, userinfo):
    """The Identity from a checked ID token and the userinfo answer; ClaimsProblem if they name two people.

    OpenID Connect Core 5.3.2: the userinfo answer's `sub` must be the ID token's.
    """
    sub = id_token_claims.get("sub")
    if not sub or (userinfo and userinfo.get("sub") != sub):
        raise ClaimsProblem("userinfo sub differs from the ID token's")
    userinfo = userinfo or {}
    return Identity(sub=sub, feide_id=clean_feide_id(userinfo.get(FEIDE_ID_CLAIM)),
                    email=(userinfo.get("email") or "").strip().lower(),
                    mfa=id_token_claims.get("acr") == MFA_ACR)


def basis_groups(groups):
    """(group id, name) of the basis groups among the groups API's answer; anything else is left out."""
    if not isinstance(groups, list):
        return []
    return [(group["id"], str(group.get("displayName") or group["id"])[:120]) for group in groups
            if isinstance(group, dict) and group.get("type") == GO_GROUP and group.get("go_type") == BASIS_GROUP
            and isinstance(group.get("id"), str)]
