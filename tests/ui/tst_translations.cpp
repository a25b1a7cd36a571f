// The German translation is complete and consistent, embedded, and used at run time for the
// system locale; English plural forms come from relaydeck_en.

#include "DesktopWording.h"
#include "MainWindow.h"
#include "MainWindowActions.h"
#include "i18n/Translations.h"

#include "profile/Presets.h"
#include "profile/ProfileValidation.h"
#include "smtp/Diagnosis.h"
#include "smtp/ErrorIds.h"
#include "smtp/TestMessage.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QLibraryInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    QString comment;
    QString translation; // numerus forms joined by '\n'
    int forms = 0;
    bool numerus = false;
    bool unfinished = false;
};

QList<Message> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"name"_s) {
            context = xml.readElementText();
        } else if (name == u"message"_s) {
            current = Message{
                context, {}, {}, {}, 0, xml.attributes().value(u"numerus"_s) == u"yes"_s, false};
        } else if (name == u"source"_s) {
            current.source = xml.readElementText();
        } else if (name == u"comment"_s) {
            current.comment = xml.readElementText();
        } else if (name == u"translation"_s) {
            const auto type = xml.attributes().value(u"type"_s);
            current.unfinished = type == u"unfinished"_s;
            if (type == u"vanished"_s || type == u"obsolete"_s)
                continue;
            if (!current.numerus) {
                current.translation = xml.readElementText();
                messages << current;
            } else {
                QStringList forms;
                while (xml.readNextStartElement())
                    forms << xml.readElementText();
                current.translation = forms.join(u'\n');
                current.forms = int(forms.size());
                messages << current;
            }
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QSet<QString> placeholders(const QString& text)
{
    static const QRegularExpression pattern(u"%\\d"_s);
    QSet<QString> found;
    for (const QRegularExpressionMatch& match : pattern.globalMatch(text))
        found << match.captured();
    return found;
}

bool hasMnemonic(const QString& text)
{
    QString stripped = text;
    stripped.remove(u"&&"_s);
    static const QRegularExpression entity(u"&[a-z]+;"_s);
    stripped.remove(entity);
    return stripped.contains(u'&');
}

// The string literals of every tr("...") call in a C++ file (adjacent literals joined).
QStringList trLiterals(const QString& code)
{
    QStringList literals;
    static const QRegularExpression call(u"\\btr\\(\\s*\""_s);
    for (const QRegularExpressionMatch& match : call.globalMatch(code)) {
        qsizetype i = match.capturedEnd() - 1; // at the opening quote
        QString text;
        while (i < code.size() && code.at(i) == u'"') {
            ++i;
            while (i < code.size() && code.at(i) != u'"') {
                if (code.at(i) == u'\\' && i + 1 < code.size()) {
                    const QChar escaped = code.at(i + 1);
                    text += escaped == u'n' ? u'\n' : escaped;
                    i += 2;
                } else {
                    text += code.at(i++);
                }
            }
            ++i; // closing quote
            while (i < code.size() && code.at(i).isSpace())
                ++i;
        }
        literals << text;
    }
    return literals;
}

QString messageKey(const Message& message)
{
    return message.context + u'\x1f' + message.source + u'\x1f' + message.comment;
}

// What lupdate finds in core/, app/ and ui/ right now, in the contexts it files them under (the
// ones the strings use at run time), read from a fresh .ts in `directory`.
QList<Message> extractWithLupdate(const QString& directory, QString* error)
{
    const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + u"/lupdate"_s;
    if (!QFileInfo(lupdate).isExecutable()) {
        *error = u"no lupdate at "_s + lupdate;
        return {};
    }
    const QString ts = directory + u"/fresh_de.ts"_s;
    QStringList arguments{u"-silent"_s, u"-locations"_s, u"none"_s, u"-extensions"_s, u"cpp,h"_s};
    for (const char* top : {"/core", "/app", "/ui"})
        arguments << QStringLiteral(RELAYDECK_SOURCE_DIR) + QLatin1StringView(top);
    arguments << u"-ts"_s << ts;
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(lupdate, arguments);
    if (!process.waitForFinished(120000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        *error = u"lupdate failed: "_s + process.errorString();
        return {};
    }
    return readTs(ts, error);
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void germanIsCompleteAndConsistent()
    {
        QString error;
        const QList<Message> messages = readTs(
            QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/translations/relaydeck_de.ts"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(messages.size() > 500);
        QStringList problems;
        for (const Message& message : messages) {
            const QString where = message.context + u": "_s + message.source.left(60);
            if (message.unfinished || message.translation.trimmed().isEmpty()) {
                problems << u"untranslated: "_s + where;
                continue;
            }
            if (message.numerus && message.forms != 2)
                problems << u"German needs 2 plural forms: "_s + where;
            if (placeholders(message.source) != placeholders(message.translation))
                problems << u"placeholders differ: "_s + where;
            if (hasMnemonic(message.source) && !hasMnemonic(message.translation))
                problems << u"mnemonic lost: "_s + where;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    void everyUiStringIsInTheTranslation()
    {
        // A tr() added to ui/ without refreshing the .ts (update_translations) is caught here.
        QString error;
        const QList<Message> messages = readTs(
            QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/translations/relaydeck_de.ts"_s, &error);
        QSet<QString> sources;
        for (const Message& message : messages)
            sources << message.source;
        QStringList missing;
        QDirIterator files(QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/ui"_s, {u"*.cpp"_s},
                           QDir::Files);
        int literals = 0;
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            for (const QString& literal : trLiterals(QString::fromUtf8(file.readAll()))) {
                ++literals;
                if (!sources.contains(literal))
                    missing << file.fileName().section(u'/', -1) + u": "_s + literal;
            }
        }
        QVERIFY(literals > 300);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u'\n')));
    }

    void everySourceStringHasAGermanTranslation()
    {
        // Every string lupdate finds in core/, app/ or ui/ (tr(), translate(), QT_TRANSLATE_NOOP,
        // Q_DECLARE_TR_FUNCTIONS contexts) must be in relaydeck_de.ts, in the same context,
        // and translated: a string added anywhere without German fails here.
        QTemporaryDir directory;
        QVERIFY(directory.isValid());
        QString error;
        const QList<Message> found = extractWithLupdate(directory.path(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(found.size() > 900);
        const QList<Message> german = readTs(
            QStringLiteral(RELAYDECK_SOURCE_DIR) + u"/translations/relaydeck_de.ts"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QHash<QString, Message> translated;
        for (const Message& message : german)
            translated.insert(messageKey(message), message);
        QStringList problems;
        QSet<QString> contexts;
        for (const Message& message : found) {
            contexts << message.context;
            const QString where = message.context + u": "_s + message.source.left(70);
            const auto it = translated.constFind(messageKey(message));
            if (it == translated.constEnd())
                problems << u"missing from relaydeck_de.ts: "_s + where;
            else if (it->unfinished || it->translation.trimmed().isEmpty())
                problems << u"not translated: "_s + where;
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        // Core's and the CLI's own contexts are among them (not filed under a namespace).
        for (const QString& context :
             {u"Diagnosis"_s, u"ProfileStore"_s, u"ProfileValidation"_s, u"SmtpInputValidation"_s,
              u"relaydeck-cli"_s, u"relaydeck::SmtpSession"_s, u"SecuritySuggestion"_s,
              u"CliWording"_s, u"DesktopWording"_s})
            QVERIFY2(contexts.contains(context), qPrintable(context));
        QVERIFY2(!contexts.contains(u"relaydeck"_s) && !contexts.contains(u"relaydeck::cli"_s),
                 "a string filed under a namespace has no run-time context");
    }

    void englishPluralForms()
    {
        QCOMPARE(Translations::install(*qApp, QLocale(QLocale::English)), u"en"_s);
        QCOMPARE(ui::MainWindow::tr("%n connection(s)", nullptr, 1), u"1 connection"_s);
        QCOMPARE(ui::MainWindow::tr("%n connection(s)", nullptr, 3), u"3 connections"_s);
    }

    void germanFollowsTheLocale()
    {
        QCOMPARE(Translations::install(*qApp, QLocale(QLocale::German, QLocale::Germany)), u"de"_s);
        QCOMPARE(ui::MainWindowActions::tr("&Test"), u"&Testen"_s);
        QCOMPARE(ui::MainWindow::tr("%n connection(s)", nullptr, 1), u"1 Verbindung"_s);
        QCOMPARE(ui::MainWindow::tr("%n connection(s)", nullptr, 2), u"2 Verbindungen"_s);
        // Core's strings, under the contexts they use at run time.
        ConnectionProfile empty;
        const ValidationIssues issues = ProfileValidation::validateField(empty, u"host"_s);
        QCOMPARE(issues.size(), 1);
        QCOMPARE(issues.first().message,
                 u"Geben Sie den Hostnamen oder die IP-Adresse des SMTP-Servers ein."_s);
        QCOMPARE(Diagnosis::describe(ErrorId::AuthFailed),
                 u"Die Authentifizierung ist fehlgeschlagen."_s);
        // Contexts declared with Q_DECLARE_TR_FUNCTIONS in core (no more file-local helpers).
        QCOMPARE(SmtpInputValidation::checkAddress(u"a b@example.com"_s).failureMessage(),
                 u"Eine E-Mail-Adresse darf keine Leerzeichen enthalten."_s);
        TestReport untrusted;
        untrusted.error = {ErrorId::CertificateUntrusted, StageId::Tls, {}, {}, {}};
        TestRequest request;
        request.profile.host = u"relay.example.com"_s;
        const QString hint = Diagnosis::hint(untrusted, request, ui::DesktopWording::instance());
        QVERIFY2(hint.contains(u"Registerkarte „Verschlüsselung“ → CA-Datei"_s), qPrintable(hint));
        QCOMPARE(QCoreApplication::translate("Presets", "Gmail / Google Workspace"),
                 u"Gmail / Google Workspace"_s);
        QVERIFY(QCoreApplication::translate(
                    "Presets",
                    "Yahoo requires an app password (Account security > Generate app password); "
                    "the account password is refused.")
                    .startsWith(u"Yahoo verlangt"_s));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
