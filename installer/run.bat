@echo off
rem Set up .venv and start Mediation Desk (arguments go to bootstrap.py run, e.g. --demo).
py -3 "%~dp0bootstrap.py" run %*
exit /b %ERRORLEVEL%
