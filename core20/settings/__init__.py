"""Settings: base.py holds everything; local, test and production adjust it.

Pick one with DJANGO_SETTINGS_MODULE (manage.py defaults to local, wsgi to production).
"""
