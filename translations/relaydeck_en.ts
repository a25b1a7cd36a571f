<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>BrowserSignIn</name>
    <message numerus="yes">
        <source>No sign-in arrived within %n minute(s).</source>
        <translation>
            <numerusform>No sign-in arrived within %n minute.</numerusform>
            <numerusform>No sign-in arrived within %n minutes.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectionTransfer</name>
    <message numerus="yes">
        <source>Imported %n connection(s) from %1.</source>
        <translation>
            <numerusform>Imported %n connection from %1.</numerusform>
            <numerusform>Imported %n connections from %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) could not be mapped; see the details.</source>
        <translation>
            <numerusform>%n setting could not be mapped; see the details.</numerusform>
            <numerusform>%n settings could not be mapped; see the details.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1.</source>
        <translation>
            <numerusform>Exported %n connection to %1.</numerusform>
            <numerusform>Exported %n connections to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WidgetPrompter</name>
    <message numerus="yes">
        <source>%n imported connection(s) have the name of an existing one: %1</source>
        <translation>
            <numerusform>%n imported connection has the name of an existing one: %1</numerusform>
            <numerusform>%n imported connections have the names of existing ones: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ExportCommand</name>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1.</source>
        <translation>
            <numerusform>Exported %n connection to %1.</numerusform>
            <numerusform>Exported %n connections to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ImportCommand</name>
    <message numerus="yes">
        <source>Imported %n connection(s) (%1)</source>
        <translation>
            <numerusform>Imported %n connection (%1)</numerusform>
            <numerusform>Imported %n connections (%1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::ConnectionEditor</name>
    <message numerus="yes">
        <source>%n field(s) on this tab need attention</source>
        <translation>
            <numerusform>%n field on this tab needs attention</numerusform>
            <numerusform>%n fields on this tab need attention</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainTab</name>
    <message numerus="yes">
        <source>Advanced (%n option(s))</source>
        <translation>
            <numerusform>Advanced (%n option)</numerusform>
            <numerusform>Advanced (%n options)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n connection</numerusform>
            <numerusform>%n connections</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::TestAllResultsDialog</name>
    <message numerus="yes">
        <source>Testing %n connection(s)…</source>
        <translation>
            <numerusform>Testing %n connection…</numerusform>
            <numerusform>Testing %n connections…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::TestPanel</name>
    <message numerus="yes">
        <source>%n extension(s)</source>
        <translation>
            <numerusform>%n extension</numerusform>
            <numerusform>%n extensions</numerusform>
        </translation>
    </message>
</context>
</TS>
