#include "UiTestSupport.h"

#include "CollapsibleSection.h"
#include "ConnectionEditor.h"
#include "MessageLine.h"

#include "TestCertificates.h"
#include "profile/Presets.h"
#include "profile/ProfileValidation.h"
#include "secrets/ProfileSecretNeeds.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

ConnectionProfile validProfile()
{
    ConnectionProfile profile;
    profile.id = QUuid::createUuid();
    profile.name = u"Office relay"_s;
    profile.host = u"smtp.example.com"_s;
    profile.security = Security::StartTls;
    return profile;
}

// Replaces a line edit's text the way a user does: select all, type.
void retype(QLineEdit* edit, const QString& text)
{
    QVERIFY(edit);
    edit->setFocus();
    edit->selectAll();
    if (text.isEmpty())
        QTest::keyClick(edit, Qt::Key_Backspace);
    else
        QTest::keyClicks(edit, text);
}

void choose(QComboBox* combo, int data)
{
    QVERIFY(combo);
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

} // namespace

class TestConnectionEditor : public QObject
{
    Q_OBJECT

private:
    ScriptedPrompter prompter;

    template <typename T> T* find(const ConnectionEditor& editor, const QString& name)
    {
        T* widget = editor.findChild<T*>(name);
        if (!widget)
            qWarning("no widget %s", qPrintable(name));
        return widget;
    }

private slots:
    void init() { prompter = ScriptedPrompter(); }

    void loadingAnyProfileLeavesItUnchanged_data()
    {
        QTest::addColumn<ConnectionProfile>("profile");
        for (const Preset& preset : Presets::all()) {
            const Result<ConnectionProfile> applied = Presets::apply(preset.id);
            QVERIFY(applied.ok());
            std::optional<ConnectionProfile> profile = applied.value();
            profile->id = QUuid::createUuid();
            profile->name = preset.displayName;
            QTest::newRow(qPrintable(preset.id)) << *profile;
        }
        ConnectionProfile odd = validProfile();
        odd.port = 587; // explicit, though it is the default: stays explicit
        odd.auth.mechanism = AuthMechanism::None;
        odd.auth.username = u"kept"_s;
        odd.proxy.type = ProxyType::Http;
        odd.proxy.host = u"proxy.example.com"_s;
        odd.proxy.port = 8080;
        odd.proxy.domain = u"CORP"_s;
        odd.tls.pinnedSha256 = {u"ab"_s.repeated(32)};
        odd.tls.minimumVersion = TlsMinimumVersion::Tls13;
        odd.options.insert(u"ping_threshold"_s, u"10"_s);
        odd.description = u"desc"_s;
        odd.charset = u"ISO-8859-15"_s;
        QTest::newRow("explicit default port, no auth, HTTP proxy") << odd;
        ConnectionProfile external = validProfile();
        external.auth.mechanism = AuthMechanism::External;
        external.security = Security::ImplicitTls;
        external.port = 2465;
        QTest::newRow("external, implicit TLS, own port") << external;
        ConnectionProfile command = validProfile();
        command.auth.usernameVariable = u"SMTP_USER"_s;
        command.auth.passwordSource.kind = SecretSourceKind::Command;
        command.auth.passwordSource.program = u"pass"_s;
        command.auth.passwordSource.arguments = {u"show"_s, u"mail/a b"_s};
        command.auth.passwordSource.enabled = false;
        QTest::newRow("disabled password command, user name variable") << command;
        ConnectionProfile environment = validProfile();
        environment.auth.username = u"ops"_s;
        environment.auth.passwordSource.kind = SecretSourceKind::Environment;
        environment.auth.passwordSource.variable = u"SMTP_PASSWORD"_s;
        QTest::newRow("password from the environment") << environment;
        ConnectionProfile kerberos = validProfile();
        kerberos.auth.mechanism = AuthMechanism::Auto;
        kerberos.auth.useKerberosTicket = true;
        kerberos.auth.username.clear();
        QTest::newRow("Kerberos ticket, auto") << kerberos;
        ConnectionProfile gssapi = validProfile();
        gssapi.auth.mechanism = AuthMechanism::Gssapi;
        gssapi.auth.useKerberosTicket = true;
        QTest::newRow("GSSAPI with a user to act as") << gssapi;
    }
    void loadingAnyProfileLeavesItUnchanged()
    {
        QFETCH(ConnectionProfile, profile);
        ConnectionEditor editor(prompter);
        editor.setProfile(profile);
        QCOMPARE(editor.editedProfile(), profile);
        QVERIFY(!editor.isDirty());
        QVERIFY(!find<QPushButton>(editor, u"saveButton"_s)->isEnabled());
    }

    // "Use my Kerberos ticket": the password goes, the profile is saved with the flag and needs
    // no password; choosing GSSAPI checks the box, a password mechanism clears it.
    void kerberosCheckBox()
    {
        ConnectionEditor editor(prompter);
        editor.resize(700, 900);
        editor.show();
        editor.setProfile(validProfile());
        editor.tabs()->setCurrentIndex(1);
        QTest::mouseClick(find<QRadioButton>(editor, u"passwordAuthenticationRadio"_s),
                          Qt::LeftButton);
        choose(find<QComboBox>(editor, u"mechanismCombo"_s), int(AuthMechanism::Plain));
        auto* kerberos = find<QCheckBox>(editor, u"kerberosCheck"_s);
        auto* password = find<QLineEdit>(editor, u"passwordEdit"_s);
        QVERIFY(kerberos->isEnabled());
        QVERIFY(!kerberos->isChecked());
        QVERIFY(password->isVisible());

        kerberos->click();
        QVERIFY(!password->isVisible());
        QVERIFY(!password->isEnabled());
        QCOMPARE(find<QComboBox>(editor, u"mechanismCombo"_s)->currentData().toInt(),
                 int(AuthMechanism::Auto)); // PLAIN cannot use a ticket
        ConnectionProfile edited = editor.editedProfile();
        QVERIFY(edited.auth.useKerberosTicket);
        QVERIFY(edited.usesKerberosTicket());
        QVERIFY(!ProfileSecretNeeds::needsPassword(edited));
        QVERIFY2(editor.isValid(), qPrintable(formatIssues(editor.issues())));
        QSignalSpy saved(&editor, &ConnectionEditor::saveRequested);
        QTest::mouseClick(find<QPushButton>(editor, u"saveButton"_s), Qt::LeftButton);
        QCOMPARE(saved.count(), 1);
        editor.markSaved(edited);
        QVERIFY(find<QCheckBox>(editor, u"kerberosCheck"_s)->isChecked());
        screenshot(&editor, u"editor-kerberos"_s);

        choose(find<QComboBox>(editor, u"mechanismCombo"_s), int(AuthMechanism::ScramSha256));
        QVERIFY(!kerberos->isChecked());
        QVERIFY(password->isVisible());
        QVERIFY(!editor.editedProfile().auth.useKerberosTicket);
        choose(find<QComboBox>(editor, u"mechanismCombo"_s), int(AuthMechanism::Gssapi));
        QVERIFY(kerberos->isChecked());
        QVERIFY(!password->isVisible());

        find<QRadioButton>(editor, u"noAuthenticationRadio"_s)->click();
        QVERIFY(!kerberos->isEnabled());
        QVERIFY(!editor.editedProfile().auth.useKerberosTicket);
    }

    void editsEveryTab()
    {
        const auto& certs = test::TestCertificates::instance();
        QVERIFY2(certs.isValid(), qPrintable(certs.errorString()));
        ConnectionEditor editor(prompter);
        editor.resize(700, 900);
        editor.show();
        editor.setProfile(validProfile());
        QSignalSpy dirty(&editor, &ConnectionEditor::dirtyChanged);
        QSignalSpy saved(&editor, &ConnectionEditor::saveRequested);

        // Main
        retype(find<QLineEdit>(editor, u"nameEdit"_s), u"Relay A"_s);
        retype(find<QLineEdit>(editor, u"descriptionEdit"_s), u"Billing mails"_s);
        retype(find<QLineEdit>(editor, u"hostEdit"_s), u"mail.example.org"_s);
        find<QSpinBox>(editor, u"portSpin"_s)->setValue(2525);
        find<QSpinBox>(editor, u"timeoutSpin"_s)->setValue(45);
        retype(find<QLineEdit>(editor, u"senderEdit"_s), u"ops@example.org"_s);
        retype(find<QLineEdit>(editor, u"heloNameEdit"_s), u"client.example.org"_s);
        find<QComboBox>(editor, u"charsetCombo"_s)->setCurrentText(u"ISO-8859-1"_s);
        auto* options = find<QTableWidget>(editor, u"optionsTable"_s);
        QTest::mouseClick(find<QPushButton>(editor, u"addOptionButton"_s), Qt::LeftButton);
        QCOMPARE(options->rowCount(), 1);
        options->item(0, 0)->setText(u"restart_threshold"_s);
        options->item(0, 1)->setText(u"100"_s);
        QVERIFY(editor.isDirty());
        QCOMPARE(dirty.count(), 1);

        // Authentication
        editor.tabs()->setCurrentIndex(1);
        QTest::mouseClick(find<QRadioButton>(editor, u"passwordAuthenticationRadio"_s),
                          Qt::LeftButton);
        choose(find<QComboBox>(editor, u"mechanismCombo"_s), int(AuthMechanism::ScramSha256));
        retype(find<QLineEdit>(editor, u"usernameEdit"_s), u"ops"_s);
        retype(find<QLineEdit>(editor, u"passwordEdit"_s), u"s3cret"_s);
        auto* plaintext = find<QCheckBox>(editor, u"allowPlaintextCheck"_s);
        QVERIFY(!plaintext->isChecked()); // off by default
        QVERIFY(!find<QLabel>(editor, u"plaintextWarning"_s)->isVisible());
        plaintext->click();
        QVERIFY(find<QLabel>(editor, u"plaintextWarning"_s)->isVisible());

        // Encryption
        editor.tabs()->setCurrentIndex(2);
        choose(find<QComboBox>(editor, u"securityCombo"_s), int(Security::ImplicitTls));
        // TLS 1.0/1.1 for a legacy server: offered, with a warning on a line of its own that
        // takes the same place shown or not (the fields below do not move).
        auto* legacyWarning = find<MessageLine>(editor, u"tlsLegacyWarning"_s);
        auto* verifyCheck = find<QCheckBox>(editor, u"verifyCertificateCheck"_s);
        QVERIFY(legacyWarning->text().isEmpty());
        const int verifyTop = verifyCheck->mapTo(&editor, QPoint()).y();
        choose(find<QComboBox>(editor, u"tlsMinimumCombo"_s), int(TlsMinimumVersion::Tls10));
        QVERIFY(legacyWarning->text().contains(u"TLS 1.0/1.1"_s));
        QCOMPARE(verifyCheck->mapTo(&editor, QPoint()).y(), verifyTop);
        QVERIFY(editor.editedProfile().tls.allowsLegacyVersions());
        choose(find<QComboBox>(editor, u"tlsMinimumCombo"_s), int(TlsMinimumVersion::Tls13));
        QVERIFY(legacyWarning->text().isEmpty());
        auto* verify = find<QCheckBox>(editor, u"verifyCertificateCheck"_s);
        QVERIFY(verify->isChecked());
        verify->click(); // a click on the box itself
        QVERIFY(find<QLabel>(editor, u"verifyWarning"_s)->isVisible());
        prompter.openAnswers << certs.caCertificatePath()
                             << certs.certificatePath(test::TestCertificates::Leaf::Localhost)
                             << certs.keyPath(test::TestCertificates::Leaf::Localhost);
        QTest::mouseClick(find<QWidget>(editor, u"caFileBrowseButton"_s), Qt::LeftButton);
        QTest::mouseClick(find<QWidget>(editor, u"clientCertificateBrowseButton"_s),
                          Qt::LeftButton);
        QTest::mouseClick(find<QWidget>(editor, u"clientKeyBrowseButton"_s), Qt::LeftButton);
        const QString pin = u"AB:"_s.repeated(31) + u"CD"_s;
        prompter.textAnswers << pin;
        QTest::mouseClick(find<QPushButton>(editor, u"addPinButton"_s), Qt::LeftButton);
        QCOMPARE(find<QListWidget>(editor, u"pinnedList"_s)->count(), 1);
        retype(find<QLineEdit>(editor, u"clientKeyPassphraseEdit"_s), u"keypass"_s);
        screenshot(&editor, u"editor-encryption"_s);

        // Proxy
        editor.tabs()->setCurrentIndex(3);
        auto* proxyPort = find<QSpinBox>(editor, u"proxyPortSpin"_s);
        QVERIFY(!find<QLineEdit>(editor, u"proxyHostEdit"_s)->isEnabled());
        choose(find<QComboBox>(editor, u"proxyTypeCombo"_s), int(ProxyType::Socks5));
        QCOMPARE(proxyPort->value(), 1080); // the usual SOCKS port is offered
        QVERIFY(find<QLineEdit>(editor, u"proxyHostEdit"_s)->isEnabled());
        retype(find<QLineEdit>(editor, u"proxyHostEdit"_s), u"socks.example.org"_s);
        proxyPort->setValue(1081);
        QVERIFY(!find<QLineEdit>(editor, u"proxyUsernameEdit"_s)->isEnabled());
        find<QCheckBox>(editor, u"useProxyCredentialsCheck"_s)->click();
        retype(find<QLineEdit>(editor, u"proxyDomainEdit"_s), u"CORP"_s);
        retype(find<QLineEdit>(editor, u"proxyUsernameEdit"_s), u"proxyuser"_s);
        retype(find<QLineEdit>(editor, u"proxyPasswordEdit"_s), u"proxypass"_s);

        const ConnectionProfile edited = editor.editedProfile();
        QCOMPARE(edited.name, u"Relay A"_s);
        QCOMPARE(edited.description, u"Billing mails"_s);
        QCOMPARE(edited.host, u"mail.example.org"_s);
        QCOMPARE(edited.port, 2525); // not a default: it did not follow the security mode
        QCOMPARE(edited.timeoutSeconds, 45);
        QCOMPARE(edited.sender, u"ops@example.org"_s);
        QCOMPARE(edited.heloName, u"client.example.org"_s);
        QCOMPARE(edited.charset, u"ISO-8859-1"_s);
        QCOMPARE(edited.options.value(u"restart_threshold"_s), u"100"_s);
        QCOMPARE(toString(edited.auth.mechanism), toString(AuthMechanism::ScramSha256));
        QCOMPARE(edited.auth.username, u"ops"_s);
        QVERIFY(edited.auth.allowPlaintext);
        QCOMPARE(toString(edited.security), toString(Security::ImplicitTls));
        QCOMPARE(toString(edited.tls.minimumVersion), toString(TlsMinimumVersion::Tls13));
        QVERIFY(!edited.tls.verifyPeer);
        QCOMPARE(edited.tls.caFile, certs.caCertificatePath());
        QCOMPARE(edited.tls.pinnedSha256, QStringList{u"ab"_s.repeated(31) + u"cd"_s});
        QCOMPARE(edited.tls.clientCertificateFile,
                 certs.certificatePath(test::TestCertificates::Leaf::Localhost));
        QCOMPARE(edited.tls.clientKeyFile, certs.keyPath(test::TestCertificates::Leaf::Localhost));
        QCOMPARE(toString(edited.proxy.type), toString(ProxyType::Socks5));
        QCOMPARE(edited.proxy.host, u"socks.example.org"_s);
        QCOMPARE(edited.proxy.port, 1081);
        QCOMPARE(edited.proxy.domain, u"CORP"_s);
        QCOMPARE(edited.proxy.username, u"proxyuser"_s);

        const QMap<SecretSlot, QString> secrets = editor.changedSecrets();
        QCOMPARE(secrets.value(SecretSlot::SmtpPassword), u"s3cret"_s);
        QCOMPARE(secrets.value(SecretSlot::ProxyPassword), u"proxypass"_s);
        QCOMPARE(secrets.value(SecretSlot::ClientKeyPassphrase), u"keypass"_s);

        QVERIFY2(editor.isValid(), qPrintable(formatIssues(editor.issues())));
        auto* save = find<QPushButton>(editor, u"saveButton"_s);
        QVERIFY(save->isEnabled());
        screenshot(&editor, u"editor-proxy"_s);
        QTest::mouseClick(save, Qt::LeftButton);
        QCOMPARE(saved.count(), 1);

        editor.markSaved(edited);
        QVERIFY(!editor.isDirty());
        QVERIFY(editor.changedSecrets().isEmpty());
        QVERIFY(!save->isEnabled());
        QVERIFY(prompter.unexpected.isEmpty());
    }

    void invalidFieldsBlockSave()
    {
        ConnectionEditor editor(prompter);
        editor.resize(700, 900);
        editor.show();
        editor.setProfile(validProfile());
        auto* save = find<QPushButton>(editor, u"saveButton"_s);
        auto* hostError = find<QLabel>(editor, u"hostError"_s);
        QVERIFY(hostError->isHidden());

        retype(find<QLineEdit>(editor, u"hostEdit"_s), QString());
        QVERIFY(editor.isDirty());
        QVERIFY(!editor.isValid());
        QVERIFY(!save->isEnabled());
        // Core's own message, where the field is.
        ConnectionProfile expected = validProfile();
        expected.host.clear();
        const ValidationIssues issues = ProfileValidation::validateField(expected, u"host"_s);
        QCOMPARE(issues.size(), 1);
        QVERIFY(!hostError->isHidden());
        QCOMPARE(hostError->text(), issues.first().message);
        QCOMPARE(find<QLineEdit>(editor, u"hostEdit"_s)->toolTip(), issues.first().message);
        QVERIFY(!editor.tabs()->tabIcon(0).isNull()); // the Main tab is marked

        retype(find<QLineEdit>(editor, u"senderEdit"_s), u"not an address"_s);
        QVERIFY(!find<QLabel>(editor, u"senderError"_s)->isHidden());

        retype(find<QLineEdit>(editor, u"hostEdit"_s), u"smtp.example.com"_s);
        retype(find<QLineEdit>(editor, u"senderEdit"_s), u"ops@example.com"_s);
        QVERIFY(hostError->isHidden());
        QVERIFY(editor.isValid());
        QVERIFY(save->isEnabled());
        QVERIFY(editor.tabs()->tabIcon(0).isNull());

        // A proxy without an address: marked on the Proxy tab.
        editor.tabs()->setCurrentIndex(3);
        choose(find<QComboBox>(editor, u"proxyTypeCombo"_s), int(ProxyType::Http));
        QVERIFY(!editor.isValid());
        QVERIFY(!save->isEnabled());
        QVERIFY(!find<QLabel>(editor, u"proxy.hostError"_s)->isHidden());
        QVERIFY(!editor.tabs()->tabIcon(3).isNull());
        // Save through the button does nothing while invalid.
        QSignalSpy saved(&editor, &ConnectionEditor::saveRequested);
        save->click();
        QCOMPARE(saved.count(), 0);

        // A name taken by another profile (the MainWindow's validator adds that check).
        editor.setValidator([](const ConnectionProfile& profile) {
            ValidationIssues issues = ProfileValidation::validate(profile);
            if (profile.name.compare(u"Taken"_s, Qt::CaseInsensitive) == 0)
                issues << ValidationIssue{u"name"_s, u"already used"_s};
            return issues;
        });
        choose(find<QComboBox>(editor, u"proxyTypeCombo"_s), int(ProxyType::None));
        QVERIFY(editor.isValid());
        retype(find<QLineEdit>(editor, u"nameEdit"_s), u"taken"_s);
        QCOMPARE(find<QLabel>(editor, u"nameError"_s)->text(), u"already used"_s);
        QVERIFY(!save->isEnabled());
    }

    void portFollowsSecurity()
    {
        ConnectionEditor editor(prompter);
        ConnectionProfile profile = validProfile(); // STARTTLS, port 0 = 587
        editor.setProfile(profile);
        auto* port = find<QSpinBox>(editor, u"portSpin"_s);
        auto* security = find<QComboBox>(editor, u"securityCombo"_s);
        QCOMPARE(port->value(), 587);
        choose(security, int(Security::ImplicitTls));
        QCOMPARE(port->value(), 465);
        QCOMPARE(editor.editedProfile().port, 0); // still "the mode's default"
        choose(security, int(Security::None));
        QCOMPARE(port->value(), 25);
        choose(security, int(Security::StartTls));
        QCOMPARE(port->value(), 587);
        QVERIFY(!editor.isDirty()); // back where it started

        port->setValue(2525);
        choose(security, int(Security::ImplicitTls));
        QCOMPARE(port->value(), 2525); // a port of the user's own stays
        QCOMPARE(editor.editedProfile().port, 2525);

        // Gmail's preset: 465 implicit; switching to STARTTLS gives 587.
        editor.setProfile(*Presets::apply(u"gmail"_s));
        QCOMPARE(port->value(), 465);
        choose(security, int(Security::StartTls));
        QCOMPARE(port->value(), 587);
    }

    // Security auto (issue 16): offered on both combos, explained, saved, and port 587 when
    // blank; the TLS settings stay enabled (auto encrypts whenever it can).
    void offersAutomaticSecurity()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile()); // STARTTLS, 587
        auto* security = find<QComboBox>(editor, u"securityCombo"_s);
        auto* mirror = find<QComboBox>(editor, u"mainSecurityCombo"_s);
        QVERIFY(security->findData(int(Security::Auto)) >= 0);
        QVERIFY(mirror->findData(int(Security::Auto)) >= 0);
        QVERIFY(
            security->itemText(security->findData(int(Security::Auto))).startsWith(u"Automatic"_s));
        QCOMPARE(mirror->itemText(mirror->findData(int(Security::Auto))), u"Automatic"_s);

        choose(security, int(Security::Auto));
        QCOMPARE(mirror->currentData().toInt(), int(Security::Auto));
        QCOMPARE(find<QSpinBox>(editor, u"portSpin"_s)->value(), 587); // auto's default
        QVERIFY(editor.editedProfile().security == Security::Auto);
        QCOMPARE(editor.editedProfile().port, 0);
        const QString note = find<QLabel>(editor, u"securityNote"_s)->text();
        QVERIFY2(note.contains(u"465"_s) && note.contains(u"STARTTLS"_s) &&
                     note.contains(u"port 25"_s) && note.contains(u"loopback"_s),
                 qPrintable(note));
        QVERIFY(find<QComboBox>(editor, u"tlsMinimumCombo"_s)->isEnabled());

        // A stored auto profile loads as auto, on both combos.
        ConnectionProfile stored = validProfile();
        stored.security = Security::Auto;
        stored.port = 25;
        editor.setProfile(stored);
        QCOMPARE(security->currentData().toInt(), int(Security::Auto));
        QCOMPARE(mirror->currentData().toInt(), int(Security::Auto));
        QCOMPARE(find<QSpinBox>(editor, u"portSpin"_s)->value(), 25);
        QVERIFY(!editor.isDirty());
    }

    void revertThrowsEditsAway()
    {
        ConnectionEditor editor(prompter);
        editor.show();
        editor.setProfile(validProfile());
        editor.setSecrets({{SecretSlot::SmtpPassword, u"stored"_s}});
        QVERIFY(!editor.isDirty());
        auto* revert = find<QPushButton>(editor, u"revertButton"_s);
        QVERIFY(!revert->isEnabled());
        retype(find<QLineEdit>(editor, u"hostEdit"_s), u"other.example.com"_s);
        retype(find<QLineEdit>(editor, u"passwordEdit"_s), u"changed"_s);
        QVERIFY(editor.isDirty());
        QVERIFY(revert->isEnabled());
        QTest::mouseClick(revert, Qt::LeftButton);
        QVERIFY(!editor.isDirty());
        QCOMPARE(find<QLineEdit>(editor, u"hostEdit"_s)->text(), u"smtp.example.com"_s);
        QCOMPARE(find<QLineEdit>(editor, u"passwordEdit"_s)->text(), u"stored"_s);
        QCOMPARE(editor.editedProfile(), editor.originalProfile());
    }

    void passwordShownOnlyOnRequest()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile());
        editor.setSecrets({{SecretSlot::SmtpPassword, u"stored"_s}});
        auto* password = find<QLineEdit>(editor, u"passwordEdit"_s);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        auto* reveal = editor.findChild<QAction*>(u"passwordEditShowAction"_s);
        QVERIFY(reveal);
        reveal->trigger();
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
        reveal->trigger();
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        reveal->trigger();
        editor.setSecrets({{SecretSlot::SmtpPassword, u"other"_s}});
        QCOMPARE(password->echoMode(), QLineEdit::Password); // hidden again for a new value
    }

    void secretFieldsWaitForTheKeychain()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile(), QString(), true);
        auto* password = find<QLineEdit>(editor, u"passwordEdit"_s);
        QVERIFY(!password->isEnabled());
        editor.setSecrets({{SecretSlot::SmtpPassword, u"stored"_s}});
        QVERIFY(password->isEnabled());
        QCOMPARE(password->text(), u"stored"_s);
        QVERIFY(!editor.isDirty());
    }

    void noAuthenticationDisablesTheLogin()
    {
        ConnectionEditor editor(prompter);
        editor.show();
        editor.setProfile(validProfile());
        QTest::mouseClick(find<QRadioButton>(editor, u"noAuthenticationRadio"_s), Qt::LeftButton);
        QVERIFY(!find<QLineEdit>(editor, u"usernameEdit"_s)->isEnabled());
        QVERIFY(!find<QLineEdit>(editor, u"passwordEdit"_s)->isEnabled());
        QCOMPARE(toString(editor.editedProfile().auth.mechanism), toString(AuthMechanism::None));
        QTest::mouseClick(find<QRadioButton>(editor, u"anonymousRadio"_s), Qt::LeftButton);
        QCOMPARE(toString(editor.editedProfile().auth.mechanism),
                 toString(AuthMechanism::Anonymous));
        QTest::mouseClick(find<QRadioButton>(editor, u"certificateAuthenticationRadio"_s),
                          Qt::LeftButton);
        QCOMPARE(toString(editor.editedProfile().auth.mechanism),
                 toString(AuthMechanism::External));
        // EXTERNAL needs a client certificate: core says so, on the Encryption tab.
        QVERIFY(!editor.isValid());
        QVERIFY(!find<QLabel>(editor, u"tls.clientCertificateError"_s)->text().isEmpty());
    }

    void presetNoteIsShown()
    {
        ConnectionEditor editor(prompter);
        editor.show();
        const Preset gmail = *Presets::find(u"gmail"_s);
        editor.setProfile(*Presets::apply(u"gmail"_s), gmail.note);
        auto* note = find<QLabel>(editor, u"presetNote"_s);
        QVERIFY(note->isVisible());
        QCOMPARE(note->text(), gmail.note);
        QVERIFY(editor.isNew());
        QVERIFY(editor.isDirty()); // a new connection is unsaved until saved
        editor.setProfile(validProfile());
        QVERIFY(!note->isVisible());
    }

    void validationLinesDoNotMoveTheFieldsBelow()
    {
        ConnectionEditor editor(prompter);
        editor.resize(700, 900);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.setProfile(validProfile());
        auto* sender = find<QLineEdit>(editor, u"senderEdit"_s);
        QCoreApplication::processEvents();
        // Relative to its tab (the tab bar gets a warning icon, which may change its height).
        QWidget* tab = find<QWidget>(editor, u"mainTab"_s);
        const QPoint before = sender->mapTo(tab, QPoint(0, 0));
        retype(find<QLineEdit>(editor, u"hostEdit"_s), QString());
        retype(find<QLineEdit>(editor, u"nameEdit"_s), QString());
        QCoreApplication::processEvents();
        QVERIFY(!find<QLabel>(editor, u"hostError"_s)->isHidden());
        QVERIFY(!find<QLabel>(editor, u"nameError"_s)->isHidden());
        QCOMPARE(sender->mapTo(tab, QPoint(0, 0)), before);
    }

    void saveWithoutAPasswordAsksFirst()
    {
        ScriptedPrompter asking;
        ConnectionEditor editor(asking);
        ConnectionProfile profile = validProfile();
        profile.auth.username = u"ops@example.com"_s;
        editor.setProfile(profile, QString(), true);
        // While the keychain is read, nothing is known to be missing.
        QVERIFY(!editor.needsMissingPassword());
        editor.setSecrets({});
        QVERIFY(editor.needsMissingPassword());
        asking.confirmAnswers.enqueue(false);
        QVERIFY(!editor.confirmSaveWithoutPassword());
        QCOMPARE(asking.count(u"confirm"_s), 1);
        QVERIFY(asking.last(u"confirm"_s)->text.contains(u"no password"_s));
        QCOMPARE(editor.tabs()->currentIndex(), 1); // the password field is shown
        asking.confirmAnswers.enqueue(true);
        QVERIFY(editor.confirmSaveWithoutPassword());
        // Typed or stored: no question.
        retype(find<QLineEdit>(editor, u"passwordEdit"_s), u"secret"_s);
        QVERIFY(!editor.needsMissingPassword());
        QVERIFY(editor.confirmSaveWithoutPassword());
        editor.setSecrets({{SecretSlot::SmtpPassword, u"stored"_s}});
        QVERIFY(!editor.needsMissingPassword());
        QCOMPARE(asking.count(u"confirm"_s), 2);
    }

    void passwordSourceComboChoosesWhereThePasswordComesFrom()
    {
        ScriptedPrompter asking;
        ConnectionEditor editor(asking);
        editor.resize(900, 900);
        editor.show();
        ConnectionProfile profile = validProfile();
        profile.auth.username = u"ops@example.com"_s;
        editor.setProfile(profile, QString(), true);
        editor.setSecrets({});
        editor.tabs()->setCurrentIndex(1);
        auto* source = find<QComboBox>(editor, u"passwordSourceCombo"_s);
        auto* password = find<QLineEdit>(editor, u"passwordEdit"_s);
        auto* variable = find<QLineEdit>(editor, u"passwordVariableEdit"_s);
        auto* command = find<QLineEdit>(editor, u"passwordCommandEdit"_s);
        auto* enabled = find<QCheckBox>(editor, u"passwordCommandEnabledCheck"_s);
        auto* warning = find<QLabel>(editor, u"passwordCommandWarning"_s);
        QVERIFY(source && password && variable && command && enabled && warning);
        QVERIFY(password->isVisible());
        QVERIFY(!variable->isVisible() && !command->isVisible());
        QVERIFY(editor.needsMissingPassword());

        // An environment variable: its name, checked; the password counts as supplied.
        choose(source, int(SecretSourceKind::Environment));
        QVERIFY(variable->isVisible() && !password->isVisible() && !command->isVisible());
        QVERIFY(!editor.isValid());
        QVERIFY(!find<QLabel>(editor, u"auth.passwordSource.variableError"_s)->text().isEmpty());
        retype(variable, u"SMTP_PASSWORD"_s);
        QVERIFY(editor.isValid());
        QVERIFY(!editor.needsMissingPassword());
        QVERIFY(editor.confirmSaveWithoutPassword());
        QCOMPARE(asking.count(u"confirm"_s), 0);
        QCOMPARE(editor.editedProfile().auth.passwordSource.variable, u"SMTP_PASSWORD"_s);

        // A command typed here is the admin's own: enabled, split into program and arguments.
        choose(source, int(SecretSourceKind::Command));
        QVERIFY(command->isVisible() && !variable->isVisible() && !password->isVisible());
        QVERIFY(enabled->isChecked());
        QVERIFY(warning->isVisible());
        retype(command, u"pass show 'mail/smtp x'"_s);
        SecretSource typed = editor.editedProfile().auth.passwordSource;
        QVERIFY(typed.kind == SecretSourceKind::Command);
        QCOMPARE(typed.program, u"pass"_s);
        QCOMPARE(typed.arguments, (QStringList{u"show"_s, u"mail/smtp x"_s}));
        QVERIFY(typed.enabled);
        // The warning line stays where it is when the box is switched: nothing moves.
        QCoreApplication::processEvents(); // the command row was just shown: lay it out
        QVERIFY(enabled->isVisible() && enabled->isEnabled());
        const QPoint warningAt = warning->mapTo(&editor, QPoint(0, 0));
        QTest::mouseClick(enabled, Qt::LeftButton, {}, QPoint(8, enabled->height() / 2));
        QVERIFY(!editor.editedProfile().auth.passwordSource.enabled);
        QCoreApplication::processEvents();
        QCOMPARE(warning->mapTo(&editor, QPoint(0, 0)), warningAt);

        // An imported (disabled) command loads unchecked; the admin enables it.
        ConnectionProfile imported = profile;
        imported.auth.passwordSource.kind = SecretSourceKind::Command;
        imported.auth.passwordSource.program = u"pass"_s;
        imported.auth.passwordSource.enabled = false;
        editor.setProfile(imported);
        QVERIFY(!enabled->isChecked());
        QCOMPARE(command->text(), u"pass"_s);
        QCoreApplication::processEvents();
        QTest::mouseClick(enabled, Qt::LeftButton, {}, QPoint(8, enabled->height() / 2));
        QVERIFY(editor.editedProfile().auth.passwordSource.enabled);
        QVERIFY(editor.isDirty());

        // Back to the keychain: the password field again.
        choose(source, int(SecretSourceKind::Keychain));
        QVERIFY(password->isVisible() && !command->isVisible());
        QVERIFY(editor.editedProfile().auth.passwordSource == SecretSource());
    }

    void anOutOfRangePortIsRefusedNotCut()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile());
        auto* port = find<QSpinBox>(editor, u"portSpin"_s);
        port->setFocus();
        port->selectAll();
        QTest::keyClicks(port, u"99999"_s);
        QCOMPARE(port->value(), 99999);
        QVERIFY(!editor.isValid());
        QVERIFY(!find<QLabel>(editor, u"portError"_s)->isHidden());
        QVERIFY(find<QLabel>(editor, u"portError"_s)->text().contains(u"65535"_s));
        QVERIFY(!find<QPushButton>(editor, u"saveButton"_s)->isEnabled());
    }

    void hostWithAPortOffersTheSplit()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile());
        auto* split = find<QPushButton>(editor, u"splitHostButton"_s);
        QVERIFY(split->isHidden());
        retype(find<QLineEdit>(editor, u"hostEdit"_s), u"mail.example.org:465"_s);
        QVERIFY(!editor.isValid());  // core refuses it as a host name...
        QVERIFY(!split->isHidden()); // ...and the editor offers the split
        QVERIFY(split->text().contains(u"465"_s));
        split->click();
        QCOMPARE(find<QLineEdit>(editor, u"hostEdit"_s)->text(), u"mail.example.org"_s);
        QCOMPARE(find<QSpinBox>(editor, u"portSpin"_s)->value(), 465);
        QVERIFY(split->isHidden());
        QVERIFY(editor.isValid());
        QCOMPARE(editor.editedProfile().port, 465);
    }

    void securityNextToThePortMirrorsTheEncryptionTab()
    {
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile()); // STARTTLS, 587
        auto* mirror = find<QComboBox>(editor, u"mainSecurityCombo"_s);
        auto* security = find<QComboBox>(editor, u"securityCombo"_s);
        auto* note = find<QLabel>(editor, u"portNote"_s);
        QCOMPARE(mirror->currentData().toInt(), int(Security::StartTls));
        QVERIFY(note->text().isEmpty());
        // Chosen on Main: the Encryption tab follows, so does the port, and the note says so.
        mirror->setCurrentIndex(mirror->findData(int(Security::ImplicitTls)));
        emit mirror->activated(mirror->currentIndex());
        QCOMPARE(security->currentData().toInt(), int(Security::ImplicitTls));
        QCOMPARE(find<QSpinBox>(editor, u"portSpin"_s)->value(), 465);
        QVERIFY(note->text().contains(u"587"_s) && note->text().contains(u"465"_s));
        QVERIFY(editor.editedProfile().security == Security::ImplicitTls);
        // Chosen on Encryption: Main follows.
        choose(security, int(Security::None));
        QCOMPARE(mirror->currentData().toInt(), int(Security::None));
        // A port the user typed clears the note.
        find<QSpinBox>(editor, u"portSpin"_s)->setValue(2525);
        QVERIFY(note->text().isEmpty());
    }

    void theOptionsLiveInACollapsedAdvancedSection()
    {
        ConnectionEditor editor(prompter);
        editor.resize(700, 900);
        editor.show();
        ConnectionProfile profile = validProfile();
        profile.options.insert(u"ping_threshold"_s, u"10"_s);
        editor.setProfile(profile);
        auto* section = find<CollapsibleSection>(editor, u"advancedSection"_s);
        auto* table = find<QTableWidget>(editor, u"optionsTable"_s);
        QVERIFY(!section->isExpanded());
        QVERIFY(!table->isVisible());
        QVERIFY(section->headerButton()->text().contains(u"1 option"_s));
        bool explained = false;
        for (QLabel* label : section->findChildren<QLabel*>())
            explained = explained || (label->isVisible() && label->text().contains(u"DSN"_s));
        QVERIFY(explained);
        QTest::mouseClick(section->headerButton(), Qt::LeftButton);
        QVERIFY(table->isVisible());
        QTest::mouseClick(section->headerButton(), Qt::LeftButton);
        QVERIFY(!table->isVisible());
        // An invalid option opens the section when the editor shows the first issue.
        table->item(0, 0)->setText(u"bad key"_s);
        QVERIFY(!editor.isValid());
        editor.focusFirstIssue();
        QVERIFY(section->isExpanded());
        QVERIFY(table->isVisible());
    }

    void detectFillsTheEditor()
    {
        ScriptedPrompter detecting;
        ConnectionEditor editor(detecting);
        ConnectionProfile profile = validProfile();
        profile.sender = u"admin@example.org"_s;
        editor.setProfile(profile);
        ConnectionProfile found;
        found.host = u"submit.example.org"_s;
        found.port = 465;
        found.security = Security::ImplicitTls;
        found.auth.username = u"admin@example.org"_s;
        detecting.detectAnswers.enqueue(found);
        find<QPushButton>(editor, u"detectButton"_s)->click();
        QCOMPARE(detecting.count(u"detect"_s), 1);
        QCOMPARE(detecting.last(u"detect"_s)->text, u"admin@example.org"_s);
        const ConnectionProfile edited = editor.editedProfile();
        QCOMPARE(edited.host, u"submit.example.org"_s);
        QVERIFY(edited.security == Security::ImplicitTls);
        QCOMPARE(edited.effectivePort(), 465);
        QCOMPARE(edited.auth.username, u"admin@example.org"_s);
        QCOMPARE(edited.name, profile.name); // the rest stays
        QCOMPARE(find<QComboBox>(editor, u"mainSecurityCombo"_s)->currentData().toInt(),
                 int(Security::ImplicitTls));
        QVERIFY(editor.isDirty());
        // Cancelled: nothing changes. Without a sender, the server's domain is looked up.
        retype(find<QLineEdit>(editor, u"senderEdit"_s), QString());
        detecting.detectAnswers.enqueue(std::nullopt);
        find<QPushButton>(editor, u"detectButton"_s)->click();
        QCOMPARE(detecting.last(u"detect"_s)->text, u"example.org"_s);
        QCOMPARE(editor.editedProfile().host, u"submit.example.org"_s);
    }

    void theShowPasswordButtonIsReachedWithTab()
    {
        ConnectionEditor editor(prompter);
        ConnectionProfile profile = validProfile();
        profile.auth.username = u"ops"_s;
        editor.setProfile(profile);
        editor.setSecrets({{SecretSlot::SmtpPassword, u"secret"_s}});
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        editor.tabs()->setCurrentIndex(1);
        auto* password = find<QLineEdit>(editor, u"passwordEdit"_s);
        password->setFocus();
        QTest::keyClick(password, Qt::Key_Tab);
        QWidget* focused = QApplication::focusWidget();
        QVERIFY(focused);
        QCOMPARE(focused->objectName(), u"passwordEditShowButton"_s);
        QTest::keyClick(focused, Qt::Key_Space);
        QCOMPARE(password->echoMode(), QLineEdit::Normal);
    }

    void everyFieldIsReachableWithTab()
    {
        // Every editable widget of every tab accepts keyboard focus and is in the focus chain.
        ConnectionEditor editor(prompter);
        editor.setProfile(validProfile());
        const QStringList names = {u"nameEdit"_s,
                                   u"descriptionEdit"_s,
                                   u"hostEdit"_s,
                                   u"portSpin"_s,
                                   u"timeoutSpin"_s,
                                   u"senderEdit"_s,
                                   u"heloNameEdit"_s,
                                   u"charsetCombo"_s,
                                   u"detectButton"_s,
                                   u"mainSecurityCombo"_s,
                                   u"advancedButton"_s,
                                   u"optionsTable"_s,
                                   u"noAuthenticationRadio"_s,
                                   u"passwordAuthenticationRadio"_s,
                                   u"mechanismCombo"_s,
                                   u"usernameEdit"_s,
                                   u"usernameVariableEdit"_s,
                                   u"passwordSourceCombo"_s,
                                   u"passwordEdit"_s,
                                   u"allowPlaintextCheck"_s,
                                   u"securityCombo"_s,
                                   u"tlsMinimumCombo"_s,
                                   u"tlsMaximumCombo"_s,
                                   u"verifyCertificateCheck"_s,
                                   u"caFileEdit"_s,
                                   u"pinnedList"_s,
                                   u"clientCertificateEdit"_s,
                                   u"clientKeyEdit"_s,
                                   u"clientKeyPassphraseEdit"_s,
                                   u"proxyTypeCombo"_s,
                                   u"proxyHostEdit"_s,
                                   u"proxyPortSpin"_s,
                                   u"useProxyCredentialsCheck"_s,
                                   u"proxyDomainEdit"_s,
                                   u"proxyUsernameEdit"_s,
                                   u"proxyPasswordEdit"_s,
                                   u"saveButton"_s,
                                   u"revertButton"_s};
        for (const QString& name : names) {
            QWidget* widget = find<QWidget>(editor, name);
            QVERIFY2(widget, qPrintable(name));
            QVERIFY2(widget->focusPolicy() & Qt::TabFocus, qPrintable(name));
        }
        // The focus chain (the order Tab walks) visits them in the order of the form.
        QStringList chain;
        QWidget* start = find<QWidget>(editor, u"nameEdit"_s);
        for (QWidget* widget = start->nextInFocusChain(); widget != start;
             widget = widget->nextInFocusChain()) {
            if (!widget->objectName().isEmpty() && (widget->focusPolicy() & Qt::TabFocus))
                chain << widget->objectName();
        }
        chain.prepend(u"nameEdit"_s);
        for (const QString& name : names)
            QVERIFY2(chain.contains(name), qPrintable(name));
        const auto before = [&chain](const QString& a, const QString& b) {
            return chain.indexOf(a) >= 0 && chain.indexOf(a) < chain.indexOf(b);
        };
        QVERIFY(before(u"hostEdit"_s, u"portSpin"_s));
        QVERIFY(before(u"portSpin"_s, u"timeoutSpin"_s));
        QVERIFY(before(u"usernameEdit"_s, u"passwordEdit"_s));
        QVERIFY(before(u"caFileEdit"_s, u"caFileBrowseButton"_s));
        QVERIFY(before(u"caFileBrowseButton"_s, u"pinnedList"_s));
        QVERIFY(before(u"clientKeyBrowseButton"_s, u"clientKeyPassphraseEdit"_s));
        QVERIFY(before(u"proxyHostEdit"_s, u"proxyPortSpin"_s));
        QVERIFY(before(u"revertButton"_s, u"saveButton"_s));
        // Labels name their field (buddy) and carry a mnemonic.
        int labelled = 0;
        for (QLabel* label : editor.findChildren<QLabel*>()) {
            if (!label->buddy())
                continue;
            ++labelled;
            QVERIFY2(label->text().contains(u'&'), qPrintable(label->text()));
        }
        QVERIFY(labelled >= 20);
    }
};

QTEST_MAIN(TestConnectionEditor)
#include "tst_connectioneditor.moc"
