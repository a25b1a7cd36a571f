// The error words of a test report for people: the TLS library's own text goes to the details.
#include "TestReportText.h"

#include <QtTest>

using namespace Qt::StringLiterals;
using namespace relaydeck::ui;

class TestTestReportText : public QObject
{
    Q_OBJECT

private slots:
    void libraryTextGoesToTheDetails()
    {
        const QString message =
            u"the TLS handshake failed: error:0A00010B:SSL routines::wrong version number"_s;
        QCOMPARE(TestReportText::humanMessage(message), u"the TLS handshake failed."_s);
        QCOMPARE(TestReportText::libraryText(message),
                 u"error:0A00010B:SSL routines::wrong version number"_s);
        // Only library text: a sentence instead.
        const QString bare = u"error:0A000086:SSL routines::certificate verify failed"_s;
        QVERIFY(!TestReportText::humanMessage(bare).contains(u"0A000086"_s));
        QCOMPARE(TestReportText::libraryText(bare), bare);
        // Other messages stay as they are.
        QCOMPARE(TestReportText::humanMessage(u"Connection refused."_s), u"Connection refused."_s);
        QVERIFY(TestReportText::libraryText(u"Connection refused."_s).isEmpty());
    }
};

QTEST_MAIN(TestTestReportText)
#include "tst_testreporttext.moc"
