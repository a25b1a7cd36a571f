// The one rule the CLI and the GUI share for secrets: when the keychain is needed at all, and
// when a test cannot start for want of a password (and what each front end says then).
#include "secrets/ProfileSecretNeeds.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

class ProfileSecretNeedsTest : public QObject
{
    Q_OBJECT

private slots:
    void mayHaveSecrets()
    {
        ConnectionProfile profile;
        profile.name = u"relay"_s;
        profile.host = u"relay.example.com"_s;
        QVERIFY(!ProfileSecretNeeds::mayHaveSecrets(profile));
        profile.auth.username = u"user"_s;
        QVERIFY(ProfileSecretNeeds::mayHaveSecrets(profile));
        profile.auth.username.clear();
        profile.proxy.username = u"proxyuser"_s;
        QVERIFY(ProfileSecretNeeds::mayHaveSecrets(profile));
        profile.proxy.username.clear();
        profile.tls.clientKeyFile = u"/etc/ssl/client.key"_s;
        QVERIFY(ProfileSecretNeeds::mayHaveSecrets(profile));
    }

    // A test reads only the slots it can use: each keychain lookup is a Secret Service round
    // trip, and Test all over fifty connections would otherwise wait for 200 of them.
    void slotsForTest()
    {
        // As slot words: QTest cannot print a list of SecretSlot (core's toString is not QTest's).
        const auto slotWords = [](const ConnectionProfile& profile) {
            QStringList words;
            for (SecretSlot slot : ProfileSecretNeeds::slotsForTest(profile))
                words << toString(slot);
            return words;
        };
        ConnectionProfile profile;
        profile.name = u"relay"_s;
        profile.host = u"relay.example.com"_s;
        QCOMPARE(slotWords(profile), QStringList());
        profile.auth.username = u"user"_s;
        profile.auth.mechanism = AuthMechanism::Plain;
        QCOMPARE(slotWords(profile), QStringList{u"smtp-password"_s});
        profile.auth.mechanism = AuthMechanism::External; // the client certificate logs in
        QCOMPARE(slotWords(profile), QStringList());
        profile.tls.clientKeyFile = u"/etc/ssl/client.key"_s;
        QCOMPARE(slotWords(profile), QStringList{u"client-key-passphrase"_s});
        profile.auth.mechanism = AuthMechanism::Auto;
        profile.proxy.username = u"proxyuser"_s;
        QCOMPARE(slotWords(profile), (QStringList{u"smtp-password"_s, u"proxy-password"_s,
                                                  u"client-key-passphrase"_s}));
    }

    void needsPassword_data()
    {
        QTest::addColumn<QString>("username");
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<bool>("needed");
        QTest::newRow("no user") << QString() << int(AuthMechanism::Auto) << false;
        QTest::newRow("auto") << u"u"_s << int(AuthMechanism::Auto) << true;
        QTest::newRow("plain") << u"u"_s << int(AuthMechanism::Plain) << true;
        QTest::newRow("xoauth2") << u"u"_s << int(AuthMechanism::XOAuth2) << true;
        QTest::newRow("anonymous") << u"u"_s << int(AuthMechanism::Anonymous) << false;
        QTest::newRow("external") << u"u"_s << int(AuthMechanism::External) << false;
        QTest::newRow("none") << u"u"_s << int(AuthMechanism::None) << false;
        QTest::newRow("gssapi") << u"u"_s << int(AuthMechanism::Gssapi) << false;
        QTest::newRow("gssapi without user") << QString() << int(AuthMechanism::Gssapi) << false;
    }

    // "Use my Kerberos ticket": no password, no keychain unless a user name may have one.
    void kerberosTicketNeedsNoPassword()
    {
        ConnectionProfile profile;
        profile.name = u"relay"_s;
        profile.auth.useKerberosTicket = true;
        QVERIFY(profile.usesAuthentication());
        QVERIFY(profile.usesKerberosTicket());
        QVERIFY(!ProfileSecretNeeds::needsPassword(profile));
        QVERIFY(!ProfileSecretNeeds::mayHaveSecrets(profile));
        QVERIFY(ProfileSecretNeeds::slotsForTest(profile).isEmpty());
        QVERIFY(!ProfileSecretNeeds::missingSecret(profile, {}));
        profile.auth.username = u"u"_s; // an earlier password may still be stored
        QVERIFY(ProfileSecretNeeds::mayHaveSecrets(profile));
        QVERIFY(!ProfileSecretNeeds::needsPassword(profile));
        profile.auth.mechanism = AuthMechanism::Plain; // the flag only counts with auto
        QVERIFY(!profile.usesKerberosTicket());
        QVERIFY(ProfileSecretNeeds::needsPassword(profile));
    }

    void needsPassword()
    {
        QFETCH(QString, username);
        QFETCH(int, mechanism);
        QFETCH(bool, needed);
        ConnectionProfile profile;
        profile.name = u"relay"_s;
        profile.auth.username = username;
        profile.auth.mechanism = AuthMechanism(mechanism);
        QCOMPARE(ProfileSecretNeeds::needsPassword(profile), needed);
        ConnectionSecrets secrets;
        QCOMPARE(ProfileSecretNeeds::missingSecret(profile, secrets).has_value(), needed);
        secrets.smtpPassword = u"not-a-real-password"_s;
        QVERIFY(!ProfileSecretNeeds::missingSecret(profile, secrets));
    }

    void missingSecretSaysWhatIsMissing()
    {
        ConnectionProfile profile;
        profile.auth.username = u"user@example.com"_s;
        const ConnectionSecrets none;
        // Ad hoc from the command line (no name), stored, and an access token.
        auto missing = ProfileSecretNeeds::missingSecret(profile, none);
        QVERIFY(missing);
        QVERIFY(missing->profileName.isEmpty());
        QVERIFY(!missing->accessToken);
        profile.name = u"office"_s;
        missing = ProfileSecretNeeds::missingSecret(profile, none);
        QVERIFY(missing);
        QCOMPARE(missing->profileName, u"office"_s);
        profile.auth.mechanism = AuthMechanism::OAuthBearer;
        missing = ProfileSecretNeeds::missingSecret(profile, none);
        QVERIFY(missing);
        QVERIFY(missing->accessToken);
        // Without a front end's words, the setting is named by its id.
        QVERIFY2(SettingIdWording::instance().missingSecret(*missing).contains(u"password"_s),
                 qPrintable(SettingIdWording::instance().missingSecret(*missing)));
    }
};

QTEST_GUILESS_MAIN(ProfileSecretNeedsTest)
#include "tst_profilesecretneeds.moc"
