@echo off
rem Set up .venv and run every check CI runs (arguments after -- go to pytest).
py -3 "%~dp0bootstrap.py" test %*
exit /b %ERRORLEVEL%
