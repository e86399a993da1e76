; Inno Setup 6 script for FineFlow Desktop on Windows (x64).
; NOT built on the project's Linux machines: PyInstaller cannot cross-compile, so the onedir
; bundle must first be built on Windows (packaging/README.md, "Windows"), then:
;   iscc /DAppVersion=0.1.0 packaging\windows\fineflow-desktop.iss
; Output: dist\fineflow-desktop-<version>-windows-x64-setup.exe

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "FineFlow Desktop"
#define BundleDir "..\..\build\package\pyi-dist\fineflow-desktop"

[Setup]
AppId={{6E2B4C1A-5F3D-4B7E-9A0C-3D1F2E4B5A60}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=FineFlow Desktop contributors
DefaultDirName={autopf}\FineFlow Desktop
DefaultGroupName={#AppName}
; per-user install by default (no admin rights needed); the user may choose all users
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=fineflow-desktop-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupIconFile=fineflow.ico
UninstallDisplayIcon={app}\fineflow-desktop.exe
LicenseFile=..\deb\copyright
; Code signing: configure a SignTool in the Inno Setup IDE / iscc /S, e.g.
;   /Ssigntool="signtool sign /fd sha256 /tr http://timestamp.digicert.com /td sha256 /a $f"
; and sign the two executables inside the bundle before packaging them.
;SignTool=signtool

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the fineflow command line to PATH"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\fineflow-desktop.exe"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\fineflow-desktop.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
    Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\fineflow-desktop.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function NeedsAddPath(Param: string): boolean;
var
  OrigPath: string;
begin
  if not RegQueryStringValue(HKEY_CURRENT_USER, 'Environment', 'Path', OrigPath) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Param) + ';', ';' + Uppercase(OrigPath) + ';') = 0;
end;
