; The Windows installer of Mediation Desk (调解工作台), for NSIS 3 (makensis). installer/README.md says how to build it.
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUNDLE=dist\mediation-desk -DICON=build\installer\icons\mediation-desk.ico
;            -DOUTFILE=dist\mediation-desk-0.1.0-setup.exe installer\windows\mediation-desk.nsi
;
; - Chinese (SimpChinese) pages; a per-user install that needs no administrator: the program goes to
;   %LOCALAPPDATA%\Programs\MediationDesk, its shortcuts to this user's Start menu and desktop, its uninstall entry
;   to HKCU.
; - The data folder, %LOCALAPPDATA%\MediationDesk, is never inside the install folder. The uninstaller keeps it
;   unless its "删除数据文件夹" component is ticked (off by default; a silent uninstall keeps it too).
; - An upgrade installs over the older version: the old program files are removed first (so nothing stale is
;   left), the data folder is not touched, and the program migrates the database at its next start, after a backup.

Unicode true
ManifestDPIAware true

!ifndef VERSION
  !error "VERSION is required: makensis -DVERSION=..."
!endif
!ifndef BUNDLE
  !error "BUNDLE is required: the one-folder bundle made by installer/build.py"
!endif
!ifndef OUTFILE
  !define OUTFILE "mediation-desk-${VERSION}-setup.exe"
!endif

!define APP_KEY "MediationDesk"
!define APP_NAME "调解工作台"
!define APP_NAME_EN "Mediation Desk"
!define GUI_EXE "mediation-desk-gui.exe"
!define CLI_EXE "mediation-desk.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
!define DATA_DIR "$LOCALAPPDATA\${APP_KEY}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WordFunc.nsh"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_KEY}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
SetCompressor /SOLID lzma
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME} ${APP_NAME_EN}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "GPL-3.0-or-later"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动${APP_NAME}"
!define MUI_WELCOMEPAGE_TEXT "本程序将为当前用户安装${APP_NAME} ${VERSION}，不需要管理员权限。$\r$\n$\r$\n\
  已安装旧版本时直接覆盖升级：数据文件夹（${DATA_DIR}）保留不动，程序下次启动时先备份、再升级数据库。$\r$\n$\r$\n\
  安装前请关闭正在运行的${APP_NAME}。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_COMPONENTSPAGE_TEXT_TOP "默认只卸载程序，数据文件夹（案件数据库、附件、备份、日志）保留，重新安装后照常使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Var OldVersion

Function .onInit
  ReadRegStr $OldVersion HKCU "${UNINSTALL_KEY}" "DisplayVersion"
  ${If} $OldVersion != ""
    ${VersionCompare} "$OldVersion" "${VERSION}" $0
    ${If} $0 == 1
      MessageBox MB_YESNO|MB_ICONEXCLAMATION "已安装的${APP_NAME} $OldVersion 比本安装程序（${VERSION}）新。$\r$\n\
        新版本写过的数据库旧版本打不开。仍要安装旧版本吗？" /SD IDNO IDYES +2
      Abort
    ${EndIf}
  ${EndIf}
FunctionEnd

; A running program holds its executable open: opening it for writing fails until it is closed. Ask to close it
; rather than leave a half-replaced install.
Function EnsureNotRunning
  retry:
  ${If} ${FileExists} "$INSTDIR\${GUI_EXE}"
    ClearErrors
    FileOpen $0 "$INSTDIR\${GUI_EXE}" a
    ${If} ${Errors}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME}正在运行。请先关闭它，再点“重试”。" /SD IDCANCEL IDRETRY retry
      Abort
    ${EndIf}
    FileClose $0
  ${EndIf}
FunctionEnd

Section "${APP_NAME}" SecProgram
  SectionIn RO
  SetShellVarContext current
  Call EnsureNotRunning
  ; an upgrade: the previous version's program files go first; the data folder is elsewhere and stays
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${GUI_EXE}"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME} ${APP_NAME_EN}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${APP_NAME_EN}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "un.程序文件和快捷方式" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd

Section /o "un.删除数据文件夹（所有案件数据，不可恢复）" UnSecData
  MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "将永久删除 ${DATA_DIR}：全部案件、附件、备份和日志。$\r$\n\
    删除前请确认已另外备份，并已导出数据密钥（keys export-data-key）。确定删除吗？" /SD IDNO IDYES +2
  Return
  RMDir /r "${DATA_DIR}"
SectionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecProgram} "删除程序文件、开始菜单和桌面快捷方式。"
  !insertmacro MUI_DESCRIPTION_TEXT ${UnSecData} "同时删除数据文件夹 ${DATA_DIR}。默认不删除。"
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END
