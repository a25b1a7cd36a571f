// EhloCapabilities: keywords, AUTH mechanisms (both forms), SIZE.
#include "smtp/EhloCapabilities.h"
#include "smtp/SmtpReplyParser.h"

#include <QTest>

using namespace relaydeck;
using namespace Qt::StringLiterals;

namespace {

EhloCapabilities parse(const QByteArray& wire)
{
    SmtpReplyParser parser;
    const QList<SmtpReply> replies = parser.feed(wire);
    if (replies.size() != 1)
        qFatal("expected one reply");
    return EhloCapabilities::fromReply(replies.first());
}

} // namespace

class EhloCapabilitiesTest : public QObject
{
    Q_OBJECT

private slots:
    void typicalReply()
    {
        const EhloCapabilities caps =
            parse("250-smtp.example.com Hello client\r\n250-PIPELINING\r\n250-SIZE 35882577\r\n"
                  "250-8BITMIME\r\n250-STARTTLS\r\n250-AUTH PLAIN login XOAUTH2\r\n"
                  "250-AUTH=LOGIN PLAIN\r\n250 ENHANCEDSTATUSCODES\r\n");
        QCOMPARE(caps.lines(), QStringList({u"PIPELINING"_s, u"SIZE 35882577"_s, u"8BITMIME"_s,
                                            u"STARTTLS"_s, u"AUTH PLAIN login XOAUTH2"_s,
                                            u"AUTH=LOGIN PLAIN"_s, u"ENHANCEDSTATUSCODES"_s}));
        QVERIFY(caps.has(u"starttls"_s));
        QVERIFY(caps.has(u"PIPELINING"_s));
        QVERIFY(!caps.has(u"CHUNKING"_s));
        QCOMPARE(caps.authMechanisms(), QStringList({u"PLAIN"_s, u"LOGIN"_s, u"XOAUTH2"_s}));
        QCOMPARE(caps.maxSize(), 35882577);
    }

    void greetingLineIsNotACapability()
    {
        // The first line is the server's name, even if it looks like a keyword.
        const EhloCapabilities caps = parse("250-STARTTLS\r\n250 SIZE\r\n");
        QVERIFY(!caps.has(u"STARTTLS"_s));
        QCOMPARE(caps.maxSize(), 0); // SIZE without a number: announced, no limit
    }

    void singleLineReplyHasNothing()
    {
        const EhloCapabilities caps = parse("250 mx.example.org\r\n");
        QVERIFY(caps.lines().isEmpty());
        QVERIFY(caps.authMechanisms().isEmpty());
        QCOMPARE(caps.maxSize(), -1);
    }

    void linesWithoutAKeywordAreSkipped_data()
    {
        QTest::addColumn<QByteArray>("wire");
        // Found by fuzzing: a capability line without a keyword crashed the parser.
        QTest::newRow("only =") << QByteArray("250-mail.example\r\n250 =\r\n");
        QTest::newRow("only spaces") << QByteArray("250-mail.example\r\n250    \r\n");
        QTest::newRow("= between")
            << QByteArray("250-mail.example\r\n250-= =\r\n250-==\r\n250 AUTH PLAIN\r\n");
    }

    void linesWithoutAKeywordAreSkipped()
    {
        QFETCH(QByteArray, wire);
        const EhloCapabilities caps = parse(wire);
        QVERIFY(!caps.lines().contains(u"="_s));
        QVERIFY(!caps.has(QString()));
        QCOMPARE(caps.authMechanisms().isEmpty(), !wire.contains("AUTH PLAIN"));
    }
};

QTEST_GUILESS_MAIN(EhloCapabilitiesTest)
#include "tst_ehlocapabilities.moc"
