#include "smtp/SmtpReplyParser.h"

#include <QFile>
#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck;

// Written against the contract in SmtpReplyParser.h (docs/ARCHITECTURE.md engine rule 2). Lines end
// with CRLF; the header promises nothing about a bare LF, so no test depends on it.

namespace {

// "250-" + filler + CRLF, exactly `length` bytes long.
QByteArray lineOfLength(qsizetype length, const QByteArray& prefix = "250 ")
{
    return prefix + QByteArray(length - prefix.size() - 2, 'x') + "\r\n";
}

#ifdef Q_OS_LINUX
// Peak resident memory of this process, in KiB (VmHWM), or -1 when unknown.
qint64 peakResidentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}
#endif

} // namespace

class ReplyParserTest : public QObject
{
    Q_OBJECT

private slots:
    void singleLine()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed("220 mail.example.com ESMTP Postfix\r\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).code, 220);
        QCOMPARE(replies.at(0).lines, QStringList{u"mail.example.com ESMTP Postfix"_s});
        QVERIFY(replies.at(0).enhancedStatus.isEmpty());
        QVERIFY(replies.at(0).isPositiveCompletion());
        QVERIFY(!parser.hasError());
        QVERIFY(!parser.hasPendingData());
    }

    void multiLine()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed("250-mail.example.com Hello client.test\r\n"
                                                     "250-PIPELINING\r\n"
                                                     "250-SIZE 10240000\r\n"
                                                     "250-AUTH PLAIN LOGIN\r\n"
                                                     "250 STARTTLS\r\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).code, 250);
        QCOMPARE(replies.at(0).lines,
                 QStringList({u"mail.example.com Hello client.test"_s, u"PIPELINING"_s,
                              u"SIZE 10240000"_s, u"AUTH PLAIN LOGIN"_s, u"STARTTLS"_s}));
        QVERIFY(!parser.hasPendingData());
        QVERIFY(!parser.hasError());
    }

    void replyClasses()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies =
            parser.feed("354 go ahead\r\n451 try later\r\n550 no\r\n334 VXNlcm5hbWU6\r\n");
        QCOMPARE(replies.size(), 4);
        QVERIFY(replies.at(0).isPositiveIntermediate());
        QVERIFY(replies.at(1).isTransientFailure());
        QVERIFY(replies.at(2).isPermanentFailure());
        QCOMPARE(replies.at(3).code, 334);
        QCOMPARE(replies.at(3).lines, QStringList{u"VXNlcm5hbWU6"_s});
    }

    void enhancedStatusCode_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("enhanced");
        QTest::newRow("2.1.0") << QByteArray("250 2.1.0 Sender OK\r\n") << 250 << u"2.1.0"_s;
        QTest::newRow("5.7.139") << QByteArray("535 5.7.139 Authentication unsuccessful, "
                                               "SmtpClientAuthentication is disabled\r\n")
                                 << 535 << u"5.7.139"_s;
        QTest::newRow("4.7.0") << QByteArray("454 4.7.0 TLS not available\r\n") << 454
                               << u"4.7.0"_s;
        QTest::newRow("multi-line, first line")
            << QByteArray("550-5.7.1 Relaying denied\r\n550 5.7.1 see the docs\r\n") << 550
            << u"5.7.1"_s;
        QTest::newRow("code only") << QByteArray("250 2.0.0\r\n") << 250 << u"2.0.0"_s;
        QTest::newRow("none: host name")
            << QByteArray("220 mx.example.com ESMTP\r\n") << 220 << QString();
        QTest::newRow("none: keyword") << QByteArray("250 8BITMIME\r\n") << 250 << QString();
        QTest::newRow("none: plain text") << QByteArray("221 Bye\r\n") << 221 << QString();
    }

    void enhancedStatusCode()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, code);
        QFETCH(QString, enhanced);
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed(bytes);
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).code, code);
        QCOMPARE(replies.at(0).enhancedStatus, enhanced);
    }

    void textJoinsTheLines()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> single =
            parser.feed("535 5.7.8 Authentication credentials invalid\r\n");
        QCOMPARE(single.size(), 1);
        QCOMPARE(single.at(0).text(), u"535 5.7.8 Authentication credentials invalid"_s);
        const QList<SmtpReply> multi = parser.feed("554-first\r\n554 second\r\n");
        QCOMPARE(multi.size(), 1);
        QCOMPARE(multi.at(0).text(), u"554 first / second"_s);
    }

    void twoRepliesInOneFeed()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed("250 2.1.0 Ok\r\n250-2.1.5 Ok\r\n"
                                                     "250 2.1.5 also\r\n354 End data with "
                                                     "<CR><LF>.<CR><LF>\r\n");
        QCOMPARE(replies.size(), 3);
        QCOMPARE(replies.at(0).code, 250);
        QCOMPARE(replies.at(0).lines, QStringList{u"2.1.0 Ok"_s});
        QCOMPARE(replies.at(1).code, 250);
        QCOMPARE(replies.at(1).lines, QStringList({u"2.1.5 Ok"_s, u"2.1.5 also"_s}));
        QCOMPARE(replies.at(2).code, 354);
        QVERIFY(!parser.hasPendingData());
    }

    void replyAndAPartialOneInOneFeed()
    {
        SmtpReplyParser parser;
        QList<SmtpReply> replies = parser.feed("220 Ready\r\n250-inj");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).code, 220);
        QVERIFY(parser.hasPendingData()); // what STARTTLS checks for injected bytes
        replies = parser.feed("ected\r\n250 AUTH PLAIN\r\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).lines, QStringList({u"injected"_s, u"AUTH PLAIN"_s}));
        QVERIFY(!parser.hasPendingData());
    }

    void splitAcrossFeedsByteByByte()
    {
        const QByteArray bytes = "250-mail.example.com\r\n250-SIZE 1000\r\n250 2.0.0 HELP\r\n"
                                 "221 2.0.0 Bye\r\n";
        SmtpReplyParser parser;
        QList<SmtpReply> replies;
        QList<qsizetype> completedAt;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            const QList<SmtpReply> got = parser.feed(bytes.mid(i, 1));
            for (qsizetype k = 0; k < got.size(); ++k)
                completedAt << i;
            replies << got;
            QVERIFY(!parser.hasError());
        }
        QCOMPARE(replies.size(), 2);
        // Each reply completes exactly at the LF ending its last line, not before, not later.
        QCOMPARE(completedAt.at(0), bytes.indexOf("HELP\r\n") + 5);
        QCOMPARE(completedAt.at(1), bytes.size() - 1);
        QCOMPARE(replies.at(0).code, 250);
        QCOMPARE(replies.at(0).lines,
                 QStringList({u"mail.example.com"_s, u"SIZE 1000"_s, u"2.0.0 HELP"_s}));
        QCOMPARE(replies.at(0).enhancedStatus, QString()); // the first line carries none
        QCOMPARE(replies.at(1).code, 221);
        QCOMPARE(replies.at(1).enhancedStatus, u"2.0.0"_s);
        QVERIFY(!parser.hasPendingData());
    }

    void crLfSplitBetweenFeeds()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed("250 OK\r").isEmpty());
        QVERIFY(parser.hasPendingData());
        const QList<SmtpReply> replies = parser.feed("\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).lines, QStringList{u"OK"_s});
    }

    void codeAloneOnALine()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed("250\r\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).code, 250);
        QVERIFY(!parser.hasError());
    }

    void badCodes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("two digits") << QByteArray("25\r\n");
        QTest::newRow("two digits and text") << QByteArray("25 OK\r\n");
        QTest::newRow("letters") << QByteArray("abc\r\n");
        QTest::newRow("letters and text") << QByteArray("abc def\r\n");
        QTest::newRow("600") << QByteArray("600 Nope\r\n");
        QTest::newRow("199") << QByteArray("199 Nope\r\n");
        QTest::newRow("000") << QByteArray("000 Nope\r\n");
        QTest::newRow("250x") << QByteArray("250x\r\n");
        QTest::newRow("2500") << QByteArray("2500 OK\r\n");
        QTest::newRow("250 tab") << QByteArray("250\tOK\r\n");
        QTest::newRow("empty line") << QByteArray("\r\n");
        QTest::newRow("HTTP") << QByteArray("HTTP/1.1 400 Bad Request\r\n");
        QTest::newRow("TLS bytes") << QByteArray("\x16\x03\x01\x00\x2a\r\n", 7);
    }

    void badCodes()
    {
        QFETCH(QByteArray, bytes);
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed(bytes);
        QVERIFY2(replies.isEmpty(), bytes.constData());
        QVERIFY2(parser.hasError(), bytes.constData());
        QVERIFY(!parser.errorString().isEmpty());
    }

    void badCodeInsideAMultiLineReply()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed("250-first\r\n25x-second\r\n250 third\r\n").isEmpty());
        QVERIFY(parser.hasError());
    }

    void differingCodesInAMultiLineReply()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies = parser.feed("250-mail.example.com\r\n251 other\r\n");
        QVERIFY(replies.isEmpty());
        QVERIFY(parser.hasError());
        QVERIFY(!parser.errorString().isEmpty());
    }

    void differingCodesSplitAcrossFeeds()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed("250-PIPELINING\r\n").isEmpty());
        QVERIFY(!parser.hasError());
        QVERIFY(parser.hasPendingData());
        QVERIFY(parser.feed("550 nope\r\n").isEmpty());
        QVERIFY(parser.hasError());
    }

    void completeRepliesBeforeAnErrorAreReturned()
    {
        SmtpReplyParser parser;
        const QList<SmtpReply> replies =
            parser.feed("250 first\r\n220 second\r\nxyz\r\n250 after\r\n");
        QCOMPARE(replies.size(), 2);
        QCOMPARE(replies.at(0).code, 250);
        QCOMPARE(replies.at(1).code, 220);
        QVERIFY(parser.hasError());
    }

    void staysFailedAfterAnError()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed("abc\r\n").isEmpty());
        QVERIFY(parser.hasError());
        const QString error = parser.errorString();
        QVERIFY(parser.feed("250 OK\r\n").isEmpty());
        QVERIFY(parser.feed("220 Ready\r\n").isEmpty());
        QVERIFY(parser.hasError());
        QCOMPARE(parser.errorString(), error);
    }

    void missingFinalLineIsPendingNotAnError()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed("250-mail.example.com\r\n250-SIZE 1000\r\n").isEmpty());
        QVERIFY(!parser.hasError());
        QVERIFY(parser.hasPendingData());
    }

    void lineLengthLimitCountsTheCrLf()
    {
        // Exactly MaxLineLength bytes, CRLF included: accepted.
        {
            SmtpReplyParser parser;
            const QByteArray line = lineOfLength(SmtpReplyParser::MaxLineLength);
            QCOMPARE(line.size(), SmtpReplyParser::MaxLineLength);
            const QList<SmtpReply> replies = parser.feed(line);
            QVERIFY2(!parser.hasError(), qPrintable(parser.errorString()));
            QCOMPARE(replies.size(), 1);
            QCOMPARE(replies.at(0).lines.at(0).size(), SmtpReplyParser::MaxLineLength - 6);
        }
        // One byte more: a protocol error.
        {
            SmtpReplyParser parser;
            const QList<SmtpReply> replies =
                parser.feed(lineOfLength(SmtpReplyParser::MaxLineLength + 1));
            QVERIFY(replies.isEmpty());
            QVERIFY(parser.hasError());
        }
    }

    void overlongLineWithoutCrLfFailsEarly()
    {
        // The error must come as soon as the unterminated line is too long, not when (if ever)
        // its CRLF arrives: that is what keeps the buffer bounded.
        SmtpReplyParser parser;
        QVERIFY(
            parser.feed("250 " + QByteArray(SmtpReplyParser::MaxLineLength - 6, 'x')).isEmpty());
        QVERIFY(!parser.hasError()); // still fits once its CRLF comes
        QVERIFY(parser.hasPendingData());
        QVERIFY(parser.feed(QByteArray(SmtpReplyParser::MaxLineLength, 'x')).isEmpty());
        QVERIFY(parser.hasError());
    }

    void tenMebibytesWithoutCrLfStayBounded()
    {
        constexpr qsizetype total = 10 * 1024 * 1024;
        const QByteArray chunk(64 * 1024, 'A');
#ifdef Q_OS_LINUX
        const qint64 peakBefore = peakResidentKiB();
#endif
        SmtpReplyParser parser;
        QVERIFY(parser.feed("250 ").isEmpty());
        qsizetype fed = 4;
        qsizetype failedAt = -1;
        while (fed < total) {
            QVERIFY(parser.feed(chunk).isEmpty());
            fed += chunk.size();
            if (failedAt < 0 && parser.hasError())
                failedAt = fed;
        }
        QVERIFY(parser.hasError());
        // Failed with the first chunk that made the line too long.
        QCOMPARE(failedAt, 4 + chunk.size());
        QVERIFY(parser.feed("\r\n").isEmpty());
#ifdef Q_OS_LINUX
        const qint64 peakAfter = peakResidentKiB();
        if (peakBefore > 0 && peakAfter > 0) {
            // Buffering the line would have taken at least 10 MiB.
            QVERIFY2(peakAfter - peakBefore < 4 * 1024,
                     qPrintable(u"peak RSS grew by %1 KiB"_s.arg(peakAfter - peakBefore)));
        }
#endif
    }

    void tenMebibytesInOneFeed()
    {
        SmtpReplyParser parser;
        QVERIFY(parser.feed(QByteArray(10 * 1024 * 1024, 'A')).isEmpty());
        QVERIFY(parser.hasError());
    }

    void replyLengthLimit()
    {
        // Lines of 1 KiB each: 63 continuation lines and a final one make exactly 64 KiB.
        const qsizetype lineLength = 1024;
        const qsizetype count = SmtpReplyParser::MaxReplyLength / lineLength;
        {
            QByteArray bytes;
            for (qsizetype i = 0; i < count - 1; ++i)
                bytes += lineOfLength(lineLength, "250-");
            bytes += lineOfLength(lineLength, "250 ");
            QCOMPARE(bytes.size(), SmtpReplyParser::MaxReplyLength);
            SmtpReplyParser parser;
            const QList<SmtpReply> replies = parser.feed(bytes);
            QVERIFY2(!parser.hasError(), qPrintable(parser.errorString()));
            QCOMPARE(replies.size(), 1);
            QCOMPARE(replies.at(0).lines.size(), count);
        }
        {
            // Twice the limit, fed line by line: the error comes before the final line, and the
            // final line then completes nothing.
            SmtpReplyParser parser;
            qsizetype lines = 0;
            while (!parser.hasError() && lines < 2 * count) {
                QVERIFY(parser.feed(lineOfLength(lineLength, "250-")).isEmpty());
                ++lines;
            }
            QVERIFY(parser.hasError());
            QCOMPARE(lines, count + 1);
            QVERIFY(parser.feed("250 end\r\n").isEmpty());
        }
    }

    void hasPendingData()
    {
        SmtpReplyParser parser;
        QVERIFY(!parser.hasPendingData());
        parser.feed("2");
        QVERIFY(parser.hasPendingData());
        parser.feed("20 Ready\r\n");
        QVERIFY(!parser.hasPendingData());
        parser.feed("250-first line\r\n");
        QVERIFY(parser.hasPendingData()); // a complete line but not a complete reply
        parser.feed("250 last\r\n");
        QVERIFY(!parser.hasPendingData());
    }

    void resetForgetsEverythingBuffered()
    {
        SmtpReplyParser parser;
        QCOMPARE(parser.feed("220 Ready\r\n250-injected\r\n250 AUTH PL").size(), 1);
        QVERIFY(parser.hasPendingData());
        parser.reset();
        QVERIFY(!parser.hasPendingData());
        QVERIFY(!parser.hasError());
        // Nothing from before the reset leaks into the next reply.
        const QList<SmtpReply> replies = parser.feed("250-mail.example.com\r\n250 STARTTLS\r\n");
        QCOMPARE(replies.size(), 1);
        QCOMPARE(replies.at(0).lines, QStringList({u"mail.example.com"_s, u"STARTTLS"_s}));
    }

    void resetClearsTheReplyLength()
    {
        // A reply near the limit, reset, then another near the limit: the count starts over.
        const qsizetype lineLength = 1024;
        const qsizetype count = SmtpReplyParser::MaxReplyLength / lineLength;
        SmtpReplyParser parser;
        for (qsizetype i = 0; i < count - 1; ++i)
            parser.feed(lineOfLength(lineLength, "250-"));
        QVERIFY(!parser.hasError());
        parser.reset();
        QByteArray bytes;
        for (qsizetype i = 0; i < count - 1; ++i)
            bytes += lineOfLength(lineLength, "250-");
        bytes += "250 end\r\n";
        QCOMPARE(parser.feed(bytes).size(), 1);
        QVERIFY2(!parser.hasError(), qPrintable(parser.errorString()));
    }
};

QTEST_GUILESS_MAIN(ReplyParserTest)
#include "tst_replyparser.moc"
