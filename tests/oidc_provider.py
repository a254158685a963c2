"""A real OpenID Connect provider on loopback, standing in for Feide in the tests, and able to misbehave.

Discovery, JWKS, authorization (code flow, PKCE S256 required), token, userinfo, the groups API and
end-session, over HTTP in a thread. It signs ID tokens with its own RSA key (joserfc, which Authlib
uses); `misbehave` makes it answer as a broken or hostile provider would.
"""
import base64
import hashlib
import secrets
import threading
import time
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "trygg-test-client"
CLIENT_SECRET = "trygg-test-secret"
KID = "test-key-1"
EPPN = "https://n.feide.no/claims/eduPersonPrincipalName"
MFA_ACR = "urn:mace:feide.no:auth:level:fad08:3"

# what `misbehave` may be: each one thing a provider (or someone in between) can get wrong
MISBEHAVIOURS = {"wrong_state", "wrong_nonce", "expired", "wrong_key", "wrong_audience", "wrong_audience_with_azp",
                 "wrong_issuer", "other_userinfo_sub"}


def feide_user(sub, feide_id, email="", name="Test Testesen", mfa=False, groups=()):
    """A person at the provider: Feide's ids and what the userinfo endpoint and the groups API say."""
    return {"sub": sub, "feide_id": feide_id, "email": email, "name": name, "mfa": mfa, "groups": list(groups)}


def basis_group(key, name):
    """A basis group (a class) as Feide's groups API lists one."""
    return {"id": f"fc:gogroup:1.0:{key}", "type": "fc:gogroup", "go_type": "b", "displayName": name,
            "membership": {"basic": "admin", "affiliation": "faculty"}}


class Provider:
    """The provider's state: who logs in next, what it has been asked, how it misbehaves."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID})
        # another key under the same kid: a token signed with it must fail the signature check
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": KID})
        self.user = None          # who logs in at the next authorization; None: the person cancels
        self.misbehave = None
        self.authorizations = []  # the query of each authorization request
        self.end_sessions = []    # the query of each end-session request
        self.codes, self.tokens = {}, {}
        self.app = self._flask_app()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(5)

    def _id_token(self, grant):
        user, now = grant["user"], int(time.time())
        claims = {"iss": self.url + ("/annen" if self.misbehave == "wrong_issuer" else ""),
                  "sub": user["sub"],
                  "aud": "noen-andre" if (self.misbehave or "").startswith("wrong_audience") else CLIENT_ID,
                  "iat": now - (3600 if self.misbehave == "expired" else 0),
                  "exp": now + (-1800 if self.misbehave == "expired" else 600),
                  "auth_time": now, "nonce": "feil-nonce" if self.misbehave == "wrong_nonce" else grant["nonce"]}
        if grant["mfa"]:
            claims["acr"] = MFA_ACR
        if self.misbehave == "wrong_audience_with_azp":
            claims["azp"] = CLIENT_ID  # says it was for us, while its audience is another service
        key = self.other_key if self.misbehave == "wrong_key" else self.key
        return jwt.encode({"alg": "RS256", "kid": KID}, claims, key)

    def _bearer_user(self):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            abort(401)
        return self.tokens[token]

    def _flask_app(self):
        app = Flask("test_oidc_provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({
                "issuer": self.url, "authorization_endpoint": self.url + "/authorize",
                "token_endpoint": self.url + "/token", "userinfo_endpoint": self.url + "/userinfo",
                "jwks_uri": self.url + "/jwks", "end_session_endpoint": self.url + "/endsession",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]})

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            args = request.args
            self.authorizations.append(dict(args))
            if (args.get("client_id") != CLIENT_ID or args.get("response_type") != "code"
                    or "openid" not in args.get("scope", "").split() or args.get("code_challenge_method") != "S256"
                    or not args.get("code_challenge") or not args.get("state") or not args.get("nonce")):
                return "bad authorization request", 400
            state = "en-annen-state" if self.misbehave == "wrong_state" else args["state"]
            if self.user is None:
                return redirect(args["redirect_uri"] + "?" + urlencode({"error": "access_denied", "state": state}))
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"user": self.user, "nonce": args["nonce"], "redirect_uri": args["redirect_uri"],
                                "challenge": args["code_challenge"],
                                "mfa": self.user["mfa"] and args.get("acr_values") == MFA_ACR}
            return redirect(args["redirect_uri"] + "?" + urlencode({"code": code, "state": state}))

        @app.post("/token")
        def token():
            form = request.form
            if request.authorization:
                client = (request.authorization.username, request.authorization.password)
            else:
                client = (form.get("client_id"), form.get("client_secret"))
            grant = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if client != (CLIENT_ID, CLIENT_SECRET):
                return jsonify({"error": "invalid_client"}), 401
            if (grant is None or form.get("grant_type") != "authorization_code"
                    or form.get("redirect_uri") != grant["redirect_uri"] or challenge != grant["challenge"]):
                return jsonify({"error": "invalid_grant"}), 400
            access_token = secrets.token_urlsafe(16)
            self.tokens[access_token] = grant["user"]
            return jsonify({"access_token": access_token, "token_type": "Bearer", "expires_in": 3600,
                            "scope": "openid profile email userid-feide groups-edu",
                            "id_token": self._id_token(grant)})

        @app.get("/userinfo")
        def userinfo():
            user = self._bearer_user()
            sub = "en-helt-annen" if self.misbehave == "other_userinfo_sub" else user["sub"]
            return jsonify({"sub": sub, EPPN: user["feide_id"], "email": user["email"], "name": user["name"]})

        @app.get("/groups/me/groups")
        def my_groups():
            user = self._bearer_user()
            return jsonify(user["groups"] + [{"id": "fc:org:kommune.no", "type": "fc:org", "displayName": "Kommunen"}])

        @app.get("/endsession")
        def end_session():
            self.end_sessions.append(dict(request.args))
            back = request.args.get("post_logout_redirect_uri")
            return redirect(back) if back else "Du er logget ut av Feide."

        return app
