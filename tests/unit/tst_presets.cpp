#include "profile/Presets.h"
#include "profile/ProfileValidation.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

class TestPresets : public QObject
{
    Q_OBJECT

private slots:
    void embeddedFileParses()
    {
        QVERIFY2(Presets::loadError().isEmpty(), qPrintable(Presets::loadError()));
        QVERIFY(Presets::all().size() >= 14);
    }

    void everyIdIsPresent_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("security");
        QTest::newRow("exchange") << u"exchange"_s << QString() << 587 << u"starttls"_s;
        QTest::newRow("office365")
            << u"office365"_s << u"smtp.office365.com"_s << 587 << u"starttls"_s;
        QTest::newRow("gmail") << u"gmail"_s << u"smtp.gmail.com"_s << 465 << u"tls"_s;
        QTest::newRow("ses") << u"ses"_s << u"email-smtp.{region}.amazonaws.com"_s << 465
                             << u"tls"_s;
        QTest::newRow("outlook") << u"outlook"_s << u"smtp-mail.outlook.com"_s << 587
                                 << u"starttls"_s;
        QTest::newRow("yahoo") << u"yahoo"_s << u"smtp.mail.yahoo.com"_s << 465 << u"tls"_s;
        QTest::newRow("icloud") << u"icloud"_s << u"smtp.mail.me.com"_s << 587 << u"starttls"_s;
        QTest::newRow("fastmail") << u"fastmail"_s << u"smtp.fastmail.com"_s << 465 << u"tls"_s;
        QTest::newRow("zoho") << u"zoho"_s << u"smtp.zoho.com"_s << 465 << u"tls"_s;
        QTest::newRow("sendgrid") << u"sendgrid"_s << u"smtp.sendgrid.net"_s << 587
                                  << u"starttls"_s;
        QTest::newRow("mailgun") << u"mailgun"_s << u"smtp.mailgun.org"_s << 587 << u"starttls"_s;
        QTest::newRow("postmark") << u"postmark"_s << u"smtp.postmarkapp.com"_s << 587
                                  << u"starttls"_s;
        QTest::newRow("brevo") << u"brevo"_s << u"smtp-relay.brevo.com"_s << 587 << u"starttls"_s;
        QTest::newRow("local") << u"local"_s << u"localhost"_s << 25 << u"none"_s;
    }

    void everyIdIsPresent()
    {
        QFETCH(QString, id);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, security);
        const std::optional<Preset> preset = Presets::find(id);
        QVERIFY(preset);
        QCOMPARE(preset->id, id);
        QCOMPARE(preset->host, host);
        QCOMPARE(preset->port, port);
        QCOMPARE(toString(preset->security), security);
        QVERIFY(!preset->displayName.isEmpty());
        QVERIFY2(preset->note.size() > 20, qPrintable(id));
    }

    void notesSayWhatAdminsNeed()
    {
        QVERIFY(Presets::find(u"gmail"_s)->note.contains(u"app password"_s));
        QVERIFY(Presets::find(u"gmail"_s)->note.contains(u"OAuth2"_s));
        QVERIFY(Presets::find(u"office365"_s)->note.contains(u"SMTP AUTH"_s));
        QVERIFY(Presets::find(u"ses"_s)->note.contains(u"not IAM"_s));
        QVERIFY(Presets::find(u"ses"_s)->note.contains(u"verified"_s));
        QVERIFY(Presets::find(u"sendgrid"_s)->note.contains(u"\"apikey\""_s));
        QCOMPARE(Presets::find(u"sendgrid"_s)->username, u"apikey"_s);
        QCOMPARE(toString(Presets::find(u"office365"_s)->tlsMinimumVersion), u"1.2"_s);
        QCOMPARE(toString(Presets::find(u"local"_s)->mechanism), u"none"_s);
    }

    void gmailOffersStartTlsAlternative()
    {
        const Preset gmail = *Presets::find(u"GMAIL"_s); // ids are case-insensitive
        QCOMPARE(gmail.alternatives.size(), 1);
        QCOMPARE(gmail.alternatives.first().port, 587);
        QCOMPARE(toString(gmail.alternatives.first().security), u"starttls"_s);
    }

    void sesRegions()
    {
        const Preset ses = *Presets::find(u"ses"_s);
        QVERIFY(ses.needsRegion());
        for (const QString& region :
             {u"us-east-1"_s,      u"us-east-2"_s,      u"us-west-1"_s,      u"us-west-2"_s,
              u"ca-central-1"_s,   u"eu-west-1"_s,      u"eu-west-2"_s,      u"eu-west-3"_s,
              u"eu-central-1"_s,   u"eu-north-1"_s,     u"eu-south-1"_s,     u"ap-south-1"_s,
              u"ap-northeast-1"_s, u"ap-northeast-2"_s, u"ap-northeast-3"_s, u"ap-southeast-1"_s,
              u"ap-southeast-2"_s, u"ap-southeast-3"_s, u"sa-east-1"_s,      u"af-south-1"_s,
              u"me-south-1"_s,     u"il-central-1"_s,   u"us-gov-west-1"_s})
            QVERIFY2(ses.regions.contains(region), qPrintable(region));
        static const QRegularExpression regionShape(u"^[a-z]{2}(-gov)?-[a-z]+-[0-9]$"_s);
        for (const QString& region : ses.regions)
            QVERIFY2(regionShape.match(region).hasMatch(), qPrintable(region));
        QCOMPARE(ses.defaultRegion, u"us-east-1"_s);
        QCOMPARE(ses.hostFor(u"eu-west-1"_s), u"email-smtp.eu-west-1.amazonaws.com"_s);
        QCOMPARE(ses.hostFor(), u"email-smtp.us-east-1.amazonaws.com"_s);
    }

    void applyFillsAProfile()
    {
        const Result<ConnectionProfile> applied = Presets::apply(u"ses"_s, u"eu-central-1"_s);
        QVERIFY2(applied.ok(), qPrintable(applied.failureMessage()));
        std::optional<ConnectionProfile> profile = applied.value();
        QCOMPARE(profile->host, u"email-smtp.eu-central-1.amazonaws.com"_s);
        QCOMPARE(toString(profile->security), u"tls"_s);
        QCOMPARE(profile->effectivePort(), 465);
        QCOMPARE(profile->preset, u"ses"_s);
        QVERIFY(profile->id.isNull());
        // The standard port follows the security mode if the user switches it.
        profile->security = Security::StartTls;
        QCOMPARE(profile->effectivePort(), 587);

        profile = Presets::apply(u"sendgrid"_s).value();
        QCOMPARE(profile->auth.username, u"apikey"_s);
        QCOMPARE(profile->effectivePort(), 587);

        profile = Presets::apply(u"local"_s).value();
        QCOMPARE(toString(profile->security), u"none"_s);
        QCOMPARE(profile->effectivePort(), 25);
        QVERIFY(!profile->usesAuthentication());
    }

    void applyRefusesUnknownIdsAndRegions()
    {
        Result<ConnectionProfile> applied = Presets::apply(u"nope"_s);
        QVERIFY(!applied.ok());
        QCOMPARE(applied.failure().id, FailureId::NotFound);
        QVERIFY(applied.failure().message.contains(u"nope"_s));
        QVERIFY(applied.failure().message.contains(u"gmail"_s)); // lists the known ids
        applied = Presets::apply(u"ses"_s, u"mars-north-1"_s);
        QVERIFY(!applied.ok());
        QVERIFY(applied.failure().message.contains(u"mars-north-1"_s));
        applied = Presets::apply(u"gmail"_s, u"us-east-1"_s);
        QVERIFY(!applied.ok());
        QVERIFY(applied.failure().message.contains(u"no regions"_s));
    }

    void appliedPresetsValidateOnceNamed()
    {
        for (const Preset& preset : Presets::all()) {
            const Result<ConnectionProfile> applied = Presets::apply(preset.id);
            QVERIFY(applied.ok());
            std::optional<ConnectionProfile> profile = applied.value();
            profile->name = preset.displayName;
            if (preset.host.isEmpty())
                profile->host = u"exchange.example.com"_s; // "your server"
            if (profile->auth.mechanism == AuthMechanism::XOAuth2)
                profile->auth.username = u"admin@example.com"_s; // the login an OAuth preset asks
            const ValidationIssues issues = ProfileValidation::validate(*profile);
            QVERIFY2(issues.isEmpty(), qPrintable(preset.id + u": "_s + formatIssues(issues)));
        }
    }

    void officeAndGmailSignInWithOAuth()
    {
        const Preset office = *Presets::find(u"office365"_s);
        QVERIFY(office.mechanism == AuthMechanism::XOAuth2);
        QVERIFY(office.oauth.provider == OAuthProvider::Microsoft);
        QCOMPARE(office.oauth.scope, u"https://outlook.office.com/SMTP.Send offline_access"_s);
        QVERIFY(office.note.contains(u"client) ID"_s));
        const Preset gmail = *Presets::find(u"gmail"_s);
        QVERIFY(gmail.mechanism == AuthMechanism::XOAuth2);
        QVERIFY(gmail.oauth.provider == OAuthProvider::Google);
        QCOMPARE(gmail.oauth.scope, u"https://mail.google.com/"_s);
        QVERIFY(gmail.note.contains(u"Desktop app"_s));
        const ConnectionProfile applied = Presets::apply(u"office365"_s).value();
        QVERIFY(applied.usesOAuthSignIn());
    }

    void parseRejectsMalformedDocuments()
    {
        QCOMPARE(Presets::parse("{").failure().id, FailureId::ParseFailed);
        Result<QList<Preset>> parsed = Presets::parse(
            R"({"format":"relaydeck-presets","version":1,"presets":[{"id":"x","port":0,"security":"tls"}]})");
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.failure().message.contains(u"port"_s));
        parsed = Presets::parse(
            R"({"format":"relaydeck-presets","version":1,"presets":[{"id":"x","host":"a.{region}.b","port":465,"security":"tls"}]})");
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.failure().message.contains(u"region"_s));
    }

    // lupdate only sees texts listed in Presets.cpp; every name and note of the file must be
    // there, or it would silently stay English in every translation.
    void everyTextIsListedForTranslation()
    {
        QFile source(QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/core/profile/Presets.cpp"_s);
        QVERIFY(source.open(QIODevice::ReadOnly));
        // Join string literals that clang-format split over several lines.
        QString code = QString::fromUtf8(source.readAll());
        code.replace(QRegularExpression(u"\"\\s*\\n\\s*\""_s), QString());
        QFile file(QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/resources/presets.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray presets =
            QJsonDocument::fromJson(file.readAll()).object().value(u"presets"_s).toArray();
        QVERIFY(!presets.isEmpty());
        for (const QJsonValue& value : presets) {
            for (const QString& key : {u"name"_s, u"note"_s}) {
                QString text = value.toObject().value(key).toString();
                text.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
                QVERIFY2(code.contains(u"\""_s + text + u"\""_s), qPrintable(text));
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPresets)
#include "tst_presets.moc"
