// Every setting core's advice can name has words in both front ends, and those words point at
// something real: the desktop table at a widget of the editor (or the test panel), the CLI table
// at an option `relaydeck-cli test` accepts.
#include "UiTestSupport.h"

#include "CliWording.h"
#include "ConnectionEditor.h"
#include "DesktopWording.h"
#include "TestCommand.h"
#include "TestPanel.h"
#include "oauth/OAuthError.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

// A probed candidate whose verdict is `verdict`.
DetectedCandidate candidateFor(CandidateVerdict verdict)
{
    DetectedCandidate c;
    c.host = u"smtp.example.org"_s;
    c.port = 465;
    c.security = verdict == CandidateVerdict::NoEncryption ? Security::None : Security::ImplicitTls;
    c.probed = verdict != CandidateVerdict::NotProbed;
    c.probe.ok = verdict != CandidateVerdict::NoAnswer && verdict != CandidateVerdict::ProbeFailed;
    c.probe.error.id = verdict == CandidateVerdict::NoAnswer ? u"cancelled"_s : u"refused"_s;
    c.probe.error.message = u"Connection refused by smtp.example.org"_s;
    c.probe.tls.used = true;
    c.probe.tls.protocol = u"TLSv1.3"_s;
    c.probe.tls.chain.append(CertificateInfo{});
    c.probe.tls.hostnameMatches = verdict != CandidateVerdict::CertificateForOtherName;
    c.probe.tls.verified = verdict != CandidateVerdict::CertificateNotTrusted;
    if (verdict == CandidateVerdict::NoUsableMechanism)
        c.probe.server.authMechanisms = {u"GSSAPI"_s};
    else if (verdict != CandidateVerdict::NoAuthenticationOffered)
        c.probe.server.authMechanisms = {u"PLAIN"_s};
    return c;
}

} // namespace

class SettingWordingTest : public QObject
{
    Q_OBJECT

    ScriptedPrompter prompter;

private slots:
    void settingIdsAreDistinct()
    {
        QSet<QString> ids;
        for (Setting setting : allSettings) {
            QVERIFY(!settingId(setting).isEmpty());
            ids << settingId(setting);
        }
        QCOMPARE(ids.size(), qsizetype(allSettings.size()));
    }

    void desktopTableNamesWidgetsThatExist()
    {
        ConnectionEditor editor(prompter);
        TestPanel panel(prompter);
        for (Setting setting : allSettings) {
            const QList<DesktopWording::Place> places = DesktopWording::places(setting);
            QVERIFY2(!places.isEmpty(), qPrintable(settingId(setting)));
            for (const DesktopWording::Place& place : places) {
                const QString where = settingId(setting) + u": "_s + place.widgetObjectName;
                if (place.tabObjectName.isEmpty()) {
                    auto* widget = editor.findChild<QWidget*>(place.widgetObjectName);
                    if (!widget)
                        widget = panel.findChild<QWidget*>(place.widgetObjectName);
                    QVERIFY2(widget, qPrintable(where));
                    continue;
                }
                auto* tab = editor.findChild<QWidget*>(place.tabObjectName);
                QVERIFY2(tab, qPrintable(place.tabObjectName));
                QVERIFY2(tab->findChild<QWidget*>(place.widgetObjectName), qPrintable(where));
            }
            // The words are there and name no flag.
            const QString words = DesktopWording::instance().where(setting);
            QVERIFY2(!words.isEmpty() && !words.contains(u"--"_s), qPrintable(words));
        }
    }

    void cliTableNamesOptionsTheParserAccepts()
    {
        cli::TestCommand command;
        const QString help = command.helpText();
        for (Setting setting : allSettings) {
            if (const QString command = cli::CliWording::command(setting); !command.isEmpty()) {
                QVERIFY(command.startsWith(u"relaydeck-cli "_s));
                QVERIFY(cli::CliWording::instance().where(setting).startsWith(command));
                continue;
            }
            const QString flag = cli::CliWording::flag(setting);
            QVERIFY2(!flag.isEmpty(), qPrintable(settingId(setting)));
            const QRegularExpression option(u"(^|[\\s,])--"_s + QRegularExpression::escape(flag) +
                                            u"([\\s,<=]|$)"_s);
            QVERIFY2(option.match(help).hasMatch(), qPrintable(flag + u"\n"_s + help));
            QVERIFY(cli::CliWording::instance().where(setting).startsWith(u"--"_s + flag));
        }
    }

    void bothTablesWordValues()
    {
        const SettingChanges implicitTls{{Setting::Security, u"tls"_s}, {Setting::Port, u"465"_s}};
        QCOMPARE(cli::CliWording::instance().where(implicitTls), u"--security tls --port 465"_s);
        QCOMPARE(DesktopWording::instance().where(implicitTls),
                 u"Encryption tab → Security: Implicit TLS and Main tab → Port: 465"_s);
        const SettingChanges credentials{{Setting::Username}, {Setting::Password}};
        QCOMPARE(DesktopWording::instance().where(credentials),
                 u"Authentication tab → User name and Password"_s);
        QCOMPARE(DesktopWording::instance().where(Setting::Pin, u"AB:CD"_s),
                 u"Trust This Certificate…"_s);
        QCOMPARE(DesktopWording::instance().where(Setting::AuthMechanism, u"none"_s),
                 u"Authentication tab → No authentication"_s);
        QCOMPARE(cli::CliWording::instance().where(Setting::CaFile), u"--ca-file ca.pem"_s);
    }

    // Core names why a detected candidate is (not) usable; each front end has distinct words for
    // every verdict, with the candidate's values in them.
    void everyCandidateVerdictIsWordedInBothTables()
    {
        QSet<QString> desktopWords;
        QSet<QString> cliWords;
        QSet<QString> ids;
        for (CandidateVerdict verdict : allCandidateVerdicts) {
            DetectedCandidate c = candidateFor(verdict);
            QCOMPARE(toString(c.verdict()), toString(verdict));
            ids.insert(toString(verdict));
            const QString desktop = DesktopWording::verdictWords(c);
            const QString cli = cli::CliWording::verdictWords(c);
            QVERIFY2(!desktop.isEmpty() && !cli.isEmpty(), qPrintable(toString(verdict)));
            desktopWords.insert(desktop);
            cliWords.insert(cli);
            if (verdict == CandidateVerdict::Usable) {
                QVERIFY(desktop.contains(u"TLSv1.3"_s) && desktop.contains(u"PLAIN"_s));
                QVERIFY(cli.contains(u"TLSv1.3"_s) && cli.contains(u"PLAIN"_s));
                c.otherDomain = true;
                QVERIFY(DesktopWording::verdictWords(c).size() > desktop.size());
                QVERIFY(cli::CliWording::verdictWords(c).contains(u"another domain"_s));
            }
        }
        const auto count = qsizetype(allCandidateVerdicts.size());
        QCOMPARE(ids.size(), count);
        QCOMPARE(desktopWords.size(), count);
        QCOMPARE(cliWords.size(), count);
    }

    void missingSecretInEachFrontEndsWords()
    {
        MissingSecret adHoc;
        QCOMPARE(cli::CliWording::instance().missingSecret(adHoc),
                 u"--user needs a password: give it with --password-stdin or --password-env VAR"_s);
        MissingSecret stored{false, u"office"_s};
        const QString cliWords = cli::CliWording::instance().missingSecret(stored);
        QVERIFY2(cliWords.startsWith(u"no password is stored for 'office'."_s),
                 qPrintable(cliWords));
        QVERIFY(cliWords.contains(u"--password-env VAR"_s));
        const QString desktop = DesktopWording::instance().missingSecret(stored);
        QVERIFY2(desktop.contains(u"Authentication tab"_s), qPrintable(desktop));
        QVERIFY(!desktop.contains(u"--"_s));
        MissingSecret token{true, u"office"_s};
        QVERIFY(DesktopWording::instance().missingSecret(token).startsWith(u"No access token"_s));
    }

    // An OAuth setting that must be given first: core's message names no flag or field, each
    // front end's hint says where to set it.
    void oauthSettingHintsInEachFrontEndsWords()
    {
        const OAuthError error = OAuthError::missingClientId();
        QCOMPARE(error.setting, std::optional(Setting::OAuthClientId));
        QVERIFY(!error.message.contains(u"--"_s));
        QCOMPARE(error.hint(cli::CliWording::instance(), u"office"_s),
                 u"Set it: --oauth-client-id ID."_s);
        const QString desktop = error.hint(DesktopWording::instance(), u"office"_s);
        QVERIFY2(desktop.contains(u"Client ID"_s) && desktop.contains(u"Authentication"_s),
                 qPrintable(desktop));
        QVERIFY(!desktop.contains(u"--"_s));
        // The setting survives the Failure a ProfileLibrary call returns.
        QCOMPARE(OAuthError::of(error.toFailure())->setting, std::optional(Setting::OAuthClientId));
        const OAuthError device = OAuthError::needsSetting(Setting::OAuthDeviceUrl, u"x"_s);
        QCOMPARE(device.hint(cli::CliWording::instance(), {}),
                 u"Set it: --oauth-device-url URL."_s);
    }
};

QTEST_MAIN(SettingWordingTest)
#include "tst_settingwording.moc"
