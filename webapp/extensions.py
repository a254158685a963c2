"""The Flask extensions, made here and bound to the app in create_app, so no module imports the package."""
from flask_compress import Compress
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
compress = Compress()
