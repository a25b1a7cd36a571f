#include "smtp/TestMessage.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTest>
#include <QTimeZone>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

struct ParsedMessage
{
    QList<QByteArray> headerLines; // unfolded
    QByteArray body;               // after the blank line, before the final ".\r\n"
};

// Splits a DATA payload back into headers and body, undoing folding but not dot-stuffing.
ParsedMessage parse(const QByteArray& payload)
{
    ParsedMessage parsed;
    const qsizetype split = payload.indexOf("\r\n\r\n");
    if (split < 0)
        return parsed;
    const QList<QByteArray> raw = payload.left(split).split('\n');
    for (QByteArray line : raw) {
        line.chop(1); // the CR
        if ((line.startsWith(' ') || line.startsWith('\t')) && !parsed.headerLines.isEmpty())
            parsed.headerLines.last() += line;
        else
            parsed.headerLines << line;
    }
    parsed.body = payload.mid(split + 4);
    parsed.body.chop(3); // ".\r\n"
    return parsed;
}

QByteArray header(const ParsedMessage& message, const QByteArray& name)
{
    for (const QByteArray& line : message.headerLines) {
        if (line.startsWith(QByteArray(name + ": ")))
            return line.mid(name.size() + 2);
    }
    return {};
}

int headerCount(const ParsedMessage& message, const QByteArray& name)
{
    int count = 0;
    for (const QByteArray& line : message.headerLines)
        count += line.startsWith(QByteArray(name + ": ")) ? 1 : 0;
    return count;
}

// Decodes RFC 2047 B words in UTF-8 (the only kind TestMessage writes).
QString decodeEncodedWords(const QByteArray& value)
{
    static const QRegularExpression word(u"=\\?UTF-8\\?B\\?([A-Za-z0-9+/=]*)\\?="_s);
    QByteArray bytes;
    auto it = word.globalMatch(QString::fromLatin1(value));
    while (it.hasNext())
        bytes += QByteArray::fromBase64(it.next().captured(1).toLatin1());
    return QString::fromUtf8(bytes);
}

QByteArray decodeQuotedPrintable(const QByteArray& text)
{
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) != '=') {
            out += text.at(i);
        } else if (text.mid(i + 1, 2) == "\r\n") {
            i += 2; // soft break
        } else {
            out += QByteArray::fromHex(text.mid(i + 1, 2));
            i += 2;
        }
    }
    return out;
}

TestMessageSpec spec()
{
    TestMessageSpec s;
    s.from = u"alerts@example.com"_s;
    s.to = u"admin@example.org"_s;
    s.subject = u"Relay check"_s;
    s.body = u"Hello.\n"_s;
    s.heloName = u"client.example.com"_s;
    s.date = QDateTime(QDate(2025, 3, 9), QTime(7, 5, 3), QTimeZone(3600 * 5 + 1800));
    return s;
}

} // namespace

class TestTestMessage : public QObject
{
    Q_OBJECT

private slots:
    void normaliseLineEnds_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("no line end") << QByteArray("abc") << QByteArray("abc");
        QTest::newRow("lf") << QByteArray("a\nb\n") << QByteArray("a\r\nb\r\n");
        QTest::newRow("cr") << QByteArray("a\rb\r") << QByteArray("a\r\nb\r\n");
        QTest::newRow("crlf untouched") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nb\r\n");
        QTest::newRow("mix") << QByteArray("1\r2\n3\r\n4\n\r5")
                             << QByteArray("1\r\n2\r\n3\r\n4\r\n\r\n5");
        QTest::newRow("cr cr lf") << QByteArray("a\r\r\nb") << QByteArray("a\r\n\r\nb");
        QTest::newRow("lf lf") << QByteArray("\n\n") << QByteArray("\r\n\r\n");
        QTest::newRow("trailing cr") << QByteArray("x\r") << QByteArray("x\r\n");
    }

    void normaliseLineEnds()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        const QByteArray result = TestMessage::normaliseLineEnds(input);
        QCOMPARE(result, expected);
        // Idempotent, and no bare CR or LF survives.
        QCOMPARE(TestMessage::normaliseLineEnds(result), result);
        QCOMPARE(result.count('\r'), result.count("\r\n"));
        QCOMPARE(result.count('\n'), result.count("\r\n"));
    }

    void dotStuff_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("none") << QByteArray("a.b\r\nc.\r\n") << QByteArray("a.b\r\nc.\r\n");
        QTest::newRow("first line") << QByteArray(".x\r\n") << QByteArray("..x\r\n");
        QTest::newRow("lone dot line")
            << QByteArray("a\r\n.\r\nb\r\n") << QByteArray("a\r\n..\r\nb\r\n");
        QTest::newRow("after blank line")
            << QByteArray("a\r\n\r\n.b\r\n") << QByteArray("a\r\n\r\n..b\r\n");
        QTest::newRow("double dot") << QByteArray("..\r\n") << QByteArray("...\r\n");
        QTest::newRow("consecutive") << QByteArray(".\r\n.\r\n") << QByteArray("..\r\n..\r\n");
        QTest::newRow("last line without crlf") << QByteArray("a\r\n.") << QByteArray("a\r\n..");
    }

    void dotStuff()
    {
        QFETCH(QByteArray, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(TestMessage::dotStuff(input), expected);
    }

    void buildEndsWithTerminatorAndUsesCrlf()
    {
        TestMessageSpec s = spec();
        s.body = u"line one\nline two\r.\r\n\r\n.hidden\rlast"_s;
        const QByteArray payload = TestMessage::build(s);
        QVERIFY(payload.endsWith("\r\n.\r\n"));
        // Exactly one terminator: no other line consists of a single dot.
        QCOMPARE(payload.count("\r\n.\r\n"), 1);
        QVERIFY(!payload.startsWith(".\r\n"));
        QCOMPARE(payload.count('\r'), payload.count("\r\n"));
        QCOMPARE(payload.count('\n'), payload.count("\r\n"));
        const ParsedMessage parsed = parse(payload);
        QCOMPARE(parsed.body, QByteArray("line one\r\nline two\r\n..\r\n\r\n..hidden\r\nlast\r\n"));
    }

    void buildHeaders()
    {
        const ParsedMessage parsed = parse(TestMessage::build(spec()));
        for (const QByteArray name : {"Date", "Message-ID", "From", "To", "Subject", "MIME-Version",
                                      "Content-Type", "Content-Transfer-Encoding"})
            QVERIFY2(headerCount(parsed, name) == 1, name.constData());
        QCOMPARE(header(parsed, "Date"), QByteArray("Sun, 09 Mar 2025 07:05:03 +0530"));
        QCOMPARE(header(parsed, "From"), QByteArray("alerts@example.com"));
        QCOMPARE(header(parsed, "To"), QByteArray("admin@example.org"));
        QCOMPARE(header(parsed, "Subject"), QByteArray("Relay check"));
        QCOMPARE(header(parsed, "MIME-Version"), QByteArray("1.0"));
        QCOMPARE(header(parsed, "Content-Type"), QByteArray("text/plain; charset=UTF-8"));
        QCOMPARE(header(parsed, "Content-Transfer-Encoding"), QByteArray("7bit"));
        QVERIFY(QRegularExpression(u"^<[0-9a-f.]+@client\\.example\\.com>$"_s)
                    .match(QString::fromLatin1(header(parsed, "Message-ID")))
                    .hasMatch());
        QCOMPARE(parsed.body, QByteArray("Hello.\r\n"));
        // Every header line is a name, a colon and a value of at most 998 octets, all ASCII.
        const QRegularExpression field(u"^[!-9;-~]+: [ -~]*$"_s);
        for (const QByteArray& line : parse(TestMessage::build(spec())).headerLines) {
            QVERIFY2(field.match(QString::fromLatin1(line)).hasMatch(), line.constData());
            QVERIFY(line.size() <= 998);
        }
    }

    void messageIdsAreUniqueAndFallBackToLocalhost()
    {
        TestMessageSpec s = spec();
        const QByteArray first = header(parse(TestMessage::build(s)), "Message-ID");
        const QByteArray second = header(parse(TestMessage::build(s)), "Message-ID");
        QVERIFY(first != second);
        s.heloName.clear();
        QVERIFY(header(parse(TestMessage::build(s)), "Message-ID").endsWith("@localhost>"));
        s.heloName = u"bad name\r\nX: y"_s;
        QVERIFY(header(parse(TestMessage::build(s)), "Message-ID").endsWith("@localhost>"));
        s.heloName = u"[192.0.2.1]"_s;
        QVERIFY(header(parse(TestMessage::build(s)), "Message-ID").endsWith("@[192.0.2.1]>"));
    }

    void dateIsEnglishWhateverTheLocale()
    {
        const QLocale previous;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        TestMessageSpec s = spec();
        s.date = QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59), QTimeZone(-8 * 3600));
        const QByteArray date = header(parse(TestMessage::build(s)), "Date");
        QLocale::setDefault(previous);
        QCOMPARE(date, QByteArray("Tue, 31 Dec 2024 23:59:59 -0800"));
        s.date = QDateTime(QDate(2024, 5, 1), QTime(0, 0), QTimeZone::utc());
        QCOMPARE(header(parse(TestMessage::build(s)), "Date"),
                 QByteArray("Wed, 01 May 2024 00:00:00 +0000"));
    }

    void nonAsciiSubjectIsEncoded()
    {
        TestMessageSpec s = spec();
        s.subject = u"Prüfung — Grüße aus Köln, 東京 und 😀 "_s + QString(40, u'ä');
        const QByteArray payload = TestMessage::build(s);
        const qsizetype headerEnd = payload.indexOf("\r\n\r\n");
        for (const char c : payload.left(headerEnd))
            QVERIFY(static_cast<unsigned char>(c) < 0x80);
        const QByteArray subject = header(parse(payload), "Subject");
        QVERIFY(subject.startsWith("=?UTF-8?B?"));
        QCOMPARE(decodeEncodedWords(subject), s.subject);
        // Each encoded-word is at most 75 characters (RFC 2047 section 2).
        for (const QByteArray& word : subject.split(' '))
            QVERIFY2(word.size() <= 75, word.constData());
    }

    void headerInjectionIsImpossible()
    {
        TestMessageSpec s = spec();
        s.subject = u"Hi\r\nBcc: victim@example.net"_s;
        const ParsedMessage parsed = parse(TestMessage::build(s));
        QCOMPARE(headerCount(parsed, "Bcc"), 0);
        QVERIFY(!header(parsed, "Subject").contains('\n'));
    }

    void charsetIsApplied_data()
    {
        QTest::addColumn<QString>("charset");
        QTest::addColumn<QByteArray>("label");
        QTest::addColumn<QString>("body");
        QTest::newRow("utf-8") << u"UTF-8"_s << QByteArray("UTF-8") << u"Grüße €\n"_s;
        QTest::newRow("latin1") << u"ISO-8859-1"_s << QByteArray("ISO-8859-1") << u"Grüße\n"_s;
        QTest::newRow("latin9") << u"ISO-8859-15"_s << QByteArray("ISO-8859-15") << u"€ ß\n"_s;
        QTest::newRow("windows-1252")
            << u"windows-1252"_s << QByteArray("windows-1252") << u"“quoted” €\n"_s;
        QTest::newRow("koi8-r") << u"KOI8-R"_s << QByteArray("KOI8-R") << u"Привет\n"_s;
        // Not representable, unknown, or not ASCII-compatible: UTF-8, labelled as such.
        QTest::newRow("latin1 cannot") << u"ISO-8859-1"_s << QByteArray("UTF-8") << u"€\n"_s;
        QTest::newRow("unknown") << u"x-no-such-charset"_s << QByteArray("UTF-8") << u"ä\n"_s;
        QTest::newRow("utf-16") << u"UTF-16"_s << QByteArray("UTF-8") << u"ä\n"_s;
        QTest::newRow("locale") << u"Locale"_s << QByteArray("UTF-8") << u"ä\n"_s;
    }

    void charsetIsApplied()
    {
        QFETCH(QString, charset);
        QFETCH(QByteArray, label);
        QFETCH(QString, body);
        TestMessageSpec s = spec();
        s.charset = charset;
        s.body = body;
        const QByteArray payload = TestMessage::build(s);
        const ParsedMessage parsed = parse(payload);
        QCOMPARE(header(parsed, "Content-Type"), QByteArray("text/plain; charset=" + label));
        QCOMPARE(header(parsed, "Content-Transfer-Encoding"), QByteArray("quoted-printable"));
        // The body travels as 7-bit quoted-printable, so no server needs 8BITMIME.
        for (const char c : payload)
            QVERIFY(static_cast<unsigned char>(c) < 0x80);
        QStringDecoder decoder(label.constData());
        QVERIFY(decoder.isValid());
        const QString decoded = decoder.decode(decodeQuotedPrintable(parsed.body));
        QVERIFY(!decoder.hasError());
        QCOMPARE(decoded, QString(body).replace(u"\n"_s, u"\r\n"_s));
    }

    void quotedPrintableKeepsLinesShortAndTrailingSpace()
    {
        TestMessageSpec s = spec();
        s.body = QString(200, u'é') + u" \n"_s + u"a=b \t\n"_s + QString(300, u'x') + u"ü\n"_s;
        const ParsedMessage parsed = parse(TestMessage::build(s));
        QCOMPARE(header(parsed, "Content-Transfer-Encoding"), QByteArray("quoted-printable"));
        for (const QByteArray& line : parsed.body.split('\n')) {
            QVERIFY2(line.size() <= 77, line.constData()); // 76 + the CR
            QVERIFY(!line.endsWith(" \r") && !line.endsWith("\t\r"));
        }
        QCOMPARE(QString::fromUtf8(decodeQuotedPrintable(parsed.body)),
                 QString(s.body).replace(u"\n"_s, u"\r\n"_s));
    }

    void defaultSubjectAndBodyNameRelaydeck()
    {
        TestMessageSpec s = spec();
        s.subject.clear();
        s.body.clear();
        const ParsedMessage parsed = parse(TestMessage::build(s));
        QVERIFY(header(parsed, "Subject").contains("Relaydeck"));
        QVERIFY(parsed.body.contains("Relaydeck"));
        QVERIFY(parsed.body.contains("admin@example.org"));
    }

    void checkAddress_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << u"alerts@example.com"_s << true;
        QTest::newRow("plus tag") << u"ops+smtp@mail.example.co.uk"_s << true;
        QTest::newRow("dots") << u"first.last@example.com"_s << true;
        QTest::newRow("single label domain") << u"root@localhost"_s << true;
        QTest::newRow("address literal") << u"postmaster@[192.0.2.1]"_s << true;
        QTest::newRow("ipv6 literal") << u"postmaster@[IPv6:2001:db8::1]"_s << true;
        QTest::newRow("quoted local") << u"\"odd@local\"@example.com"_s << true;
        QTest::newRow("idn") << u"jörg@bücher.example"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("no at") << u"alerts.example.com"_s << false;
        QTest::newRow("no local") << u"@example.com"_s << false;
        QTest::newRow("no domain") << u"alerts@"_s << false;
        QTest::newRow("cr lf injection") << u"a@example.com\r\nRCPT TO:<x@y>"_s << false;
        QTest::newRow("lf") << u"a@exa\nmple.com"_s << false;
        QTest::newRow("cr") << u"a@example.com\r"_s << false;
        QTest::newRow("nul") << u"a@example.com"_s + QChar(0) << false;
        QTest::newRow("tab") << u"a\t@example.com"_s << false;
        QTest::newRow("space") << u"a b@example.com"_s << false;
        QTest::newRow("brackets") << u"<a@example.com>"_s << false;
        QTest::newRow("display name") << u"Alerts <a@example.com>"_s << false;
        QTest::newRow("two at") << u"a@b@example.com"_s << false;
        QTest::newRow("list") << u"a@example.com,b@example.com"_s << false;
        QTest::newRow("double dot local") << u"a..b@example.com"_s << false;
        QTest::newRow("double dot domain") << u"a@example..com"_s << false;
        QTest::newRow("bad literal") << u"a@[300.1.1.1]"_s << false;
        QTest::newRow("too long") << QString(250, u'a') + u"@example.com"_s << false;
    }

    void checkAddress()
    {
        QFETCH(QString, address);
        QFETCH(bool, valid);
        const Result<void> checked = SmtpInputValidation::checkAddress(address);
        QCOMPARE(checked.ok(), valid);
        if (!checked) {
            QCOMPARE(checked.failure().id, FailureId::Invalid);
            QVERIFY(!checked.failure().message.trimmed().isEmpty());
        }
    }

    void checkHeloName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("domain") << u"client.example.com"_s << true;
        QTest::newRow("single label") << u"localhost"_s << true;
        QTest::newRow("hyphen") << u"mail-01.example.net"_s << true;
        QTest::newRow("ipv4 literal") << u"[192.0.2.1]"_s << true;
        QTest::newRow("ipv6 literal") << u"[IPv6:2001:db8::1]"_s << true;
        QTest::newRow("ipv6 loopback literal") << u"[IPv6:::1]"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("crlf") << u"client\r\nQUIT"_s << false;
        QTest::newRow("lf") << u"client\n"_s << false;
        QTest::newRow("cr") << u"client\r"_s << false;
        QTest::newRow("nul") << u"client"_s + QChar(0) << false;
        QTest::newRow("space") << u"a b"_s << false;
        QTest::newRow("underscore") << u"my_host.example"_s << false;
        QTest::newRow("leading hyphen") << u"-client.example"_s << false;
        QTest::newRow("empty label") << u"client..example"_s << false;
        QTest::newRow("trailing dot") << u"client.example."_s << false;
        QTest::newRow("long label") << QString(64, u'a') + u".example"_s << false;
        QTest::newRow("bare ipv6") << u"2001:db8::1"_s << false;
        QTest::newRow("literal without brackets end") << u"[192.0.2.1"_s << false;
        QTest::newRow("bad ipv4 literal") << u"[192.0.2.256]"_s << false;
        QTest::newRow("short ipv4 literal") << u"[127.1]"_s << false;
        QTest::newRow("ipv6 without tag") << u"[2001:db8::1]"_s << false;
        QTest::newRow("bad ipv6 literal") << u"[IPv6:2001:db8:::1]"_s << false;
        QTest::newRow("address") << u"user@example.com"_s << false;
    }

    void checkHeloName()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const Result<void> checked = SmtpInputValidation::checkHeloName(name);
        QCOMPARE(checked.ok(), valid);
        if (!checked) {
            QCOMPARE(checked.failure().id, FailureId::Invalid);
            QVERIFY(!checked.failure().message.trimmed().isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestTestMessage)
#include "tst_testmessage.moc"
