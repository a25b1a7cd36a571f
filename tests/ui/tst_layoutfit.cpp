// Screenshot tests of the window's layout: at 800×500 and 1280×800, in English and in German,
// every editor tab must fit. A visible widget fails the test when it is smaller than its minimum
// size hint (a cut-off button, combo box or label), when a word-wrapped label is shorter than its
// text needs, when it sticks out of its parent (out of a scroll area's viewport: sideways only,
// as the viewport scrolls vertically), or when the editor or the test panel shows a horizontal
// scroll bar. RELAYDECK_SCREENSHOT_DIR=DIR keeps a PNG of every case to look at.
#include "UiTestSupport.h"

#include "CertificateTrustDialog.h"
#include "ConnectionEditor.h"
#include "MainWindow.h"
#include "MessageLine.h"
#include "ResponsiveSplitter.h"

#include "profile/ProfileStore.h"
#include "secrets/MemorySecretStore.h"

#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QSplitterHandle>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace relaydeck;
using namespace relaydeck::ui;
using namespace relaydeck::uitest;
using namespace Qt::StringLiterals;

namespace {

QString describe(const QWidget* widget)
{
    QString text = QString::fromLatin1(widget->metaObject()->className());
    if (!widget->objectName().isEmpty())
        text += u" '"_s + widget->objectName() + u'\'';
    if (const auto* label = qobject_cast<const QLabel*>(widget); label && !label->text().isEmpty())
        text += u" \""_s + label->text().left(40) + u'"';
    if (const auto* button = qobject_cast<const QAbstractButton*>(widget);
        button && !button->text().isEmpty())
        text += u" \""_s + button->text() + u'"';
    return text;
}

QString rectText(const QRect& rect)
{
    return u"%1,%2 %3×%4"_s.arg(rect.x()).arg(rect.y()).arg(rect.width()).arg(rect.height());
}

// The viewport of a scroll area scrolls its content vertically: only sideways overflow clips.
bool isScrollViewport(const QWidget* widget)
{
    const auto* area = qobject_cast<const QAbstractScrollArea*>(widget->parentWidget());
    return area && area->viewport() == widget;
}

// Qt's own parts (scroll bars, item view internals, tool bar extension): not ours to lay out.
bool isInternal(const QWidget* widget)
{
    if (widget->objectName().startsWith(u"qt_"_s) || qobject_cast<const QScrollBar*>(widget) ||
        qobject_cast<const QSplitterHandle*>(widget))
        return true;
    for (const QWidget* up = widget->parentWidget(); up; up = up->parentWidget()) {
        if (qobject_cast<const QAbstractItemView*>(up) || up->objectName().startsWith(u"qt_"_s))
            return true;
    }
    return false;
}

// Every clipped widget under `root`, described.
QStringList clippedWidgets(QWidget* root)
{
    QStringList problems;
    const QList<QWidget*> widgets = root->findChildren<QWidget*>();
    for (QWidget* widget : widgets) {
        if (!widget->isVisible() || widget->isWindow() || isInternal(widget))
            continue;
        const QSize minimum = widget->minimumSizeHint();
        const bool messageLine = qobject_cast<MessageLine*>(widget) != nullptr; // elides by design
        auto* label = qobject_cast<QLabel*>(widget);
        if (label && label->wordWrap() && !label->text().isEmpty()) {
            const int needed = label->heightForWidth(label->width());
            if (needed > label->height() + 1)
                problems << u"%1: wrapped text needs %2 px, has %3"_s.arg(describe(widget))
                                .arg(needed)
                                .arg(label->height());
        } else if (!messageLine && minimum.isValid() &&
                   (widget->width() + 1 < minimum.width() ||
                    widget->height() + 1 < minimum.height())) {
            problems << u"%1: %2×%3 is smaller than its minimum %4×%5"_s.arg(describe(widget))
                            .arg(widget->width())
                            .arg(widget->height())
                            .arg(minimum.width())
                            .arg(minimum.height());
        }
        QWidget* parent = widget->parentWidget();
        if (!parent)
            continue;
        const QRect inParent = widget->geometry();
        const QRect area = parent->rect();
        const bool fits = isScrollViewport(parent)
                              ? inParent.left() >= area.left() && inParent.right() <= area.right()
                              : area.contains(inParent);
        if (!fits)
            problems << u"%1 at %2 sticks out of %3 (%4)"_s.arg(
                describe(widget), rectText(inParent), describe(parent), rectText(area));
    }
    for (const char* name : {"connectionEditor", "testPanelScroller"}) {
        QWidget* pane = root->findChild<QWidget*>(QString::fromLatin1(name));
        if (!pane)
            continue;
        for (QScrollBar* bar : pane->findChildren<QScrollBar*>()) {
            if (bar->orientation() == Qt::Horizontal && bar->isVisible() && !isInternal(bar) &&
                !qobject_cast<QAbstractItemView*>(bar->parentWidget()->parentWidget()))
                problems << u"a horizontal scroll bar in %1"_s.arg(describe(pane));
        }
    }
    return problems;
}

ConnectionProfile sample()
{
    ConnectionProfile profile;
    profile.name = u"Office relay (Berlin headquarters)"_s;
    profile.description = u"Relay for the scanners and the ticket system on the third floor"_s;
    profile.host = u"smtp.mail-relay.berlin.example.org"_s;
    profile.security = Security::StartTls;
    profile.auth.username = u"scanner-relay@berlin.example.org"_s;
    profile.sender = u"scanner@berlin.example.org"_s;
    profile.options.insert(u"restart_threshold"_s, u"100"_s);
    profile.tls.verifyPeer = false; // the warning shows on the Encryption tab
    return profile;
}

// The Authentication tab with the OAuth 2.0 sign-in of Microsoft 365 (the longest form there).
ConnectionProfile oauthSample()
{
    ConnectionProfile profile = sample();
    profile.name = u"Microsoft 365 (Berlin headquarters)"_s;
    profile.host = u"smtp.office365.com"_s;
    profile.auth.mechanism = AuthMechanism::XOAuth2;
    profile.oauth.provider = OAuthProvider::Microsoft;
    profile.oauth.tenant = u"berlin-headquarters.onmicrosoft.com"_s;
    profile.oauth.clientId = u"00000000-1111-2222-3333-444444444444"_s;
    return profile;
}

// A self-signed server behind a private CA, as the trust dialog meets it: long names, a real
// SHA-256 fingerprint (95 characters that do not wrap).
CertificateTrustOffer trustOffer()
{
    const QString fingerprint =
        QStringList(32, u"A7"_s).join(u':'); // the width of any SHA-256 with colons
    CertificateTrustOffer offer;
    offer.connection = u"Office relay (Berlin headquarters)"_s;
    offer.problems = {u"The issuer certificate of a locally looked up certificate could not "
                      "be found"_s,
                      u"The root CA certificate is not trusted for this purpose"_s};
    offer.leaf.subject = u"CN=smtp.mail-relay.berlin.example.org"_s;
    offer.leaf.issuer = u"O=Example Organisation Berlin, CN=Example Internal Issuing CA 2"_s;
    offer.leaf.sha256 = fingerprint;
    offer.leaf.notAfter = QDateTime(QDate(2027, 3, 14), QTime(9, 30), Qt::UTC);
    CertificateInfo ca;
    ca.subject = offer.leaf.issuer;
    ca.sha256 = fingerprint;
    ca.notAfter = QDateTime(QDate(2035, 12, 31), QTime(23, 59), Qt::UTC);
    offer.issuer = ca;
    return offer;
}

} // namespace

class TestLayoutFit : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<MemorySecretStore> keychain;
    std::unique_ptr<ScriptedPrompter> prompter;

    void checkEveryTab(const QString& language)
    {
        for (const QSize size : {QSize(800, 500), QSize(1280, 800)}) {
            MainWindow window(dir->path(), *keychain, *prompter);
            window.resize(size);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QCOMPARE(window.size(), size); // the window's minimum size allows it
            // Narrow: the Test panel below the editor, and it can be collapsed.
            auto* work = window.findChild<QSplitter*>(u"workSplitter"_s);
            QVERIFY(work);
            QCOMPARE(work->orientation(), size.width() < 1000 ? Qt::Vertical : Qt::Horizontal);
            QVERIFY(work->isCollapsible(1));
            QVERIFY(!work->isCollapsible(0));
            if (work->orientation() == Qt::Vertical) {
                // Too low for the editor's form: the editor gets the room it wants, the Test
                // panel below a strip (its Test button and verdict) that the user drags open.
                const int editorWants = window.editor()->sizeHint().height();
                const int room = work->height() - work->handleWidth();
                const int expected =
                    std::min(editorWants, room - ResponsiveSplitter::stackedStripHeight);
                QVERIFY2(work->sizes().at(0) + 2 >= expected,
                         qPrintable(u"editor %1 px of %2, wants %3"_s.arg(work->sizes().at(0))
                                        .arg(room)
                                        .arg(editorWants)));
                QVERIFY(work->sizes().at(1) >= ResponsiveSplitter::stackedStripHeight - 2);
            }
            QTabWidget* tabs = window.editor()->tabs();
            for (const ConnectionProfile& profile : window.store().profiles()) {
                QVERIFY(window.selectConnection(profile.id));
                QVERIFY(window.editor()->hasProfile());
                const bool oauth = profile.usesOAuthSignIn();
                for (int index = 0; index < tabs->count(); ++index) {
                    if (oauth && !tabs->widget(index)->findChild<QWidget*>(u"authenticationTab"_s))
                        continue;
                    tabs->setCurrentIndex(index);
                    QCoreApplication::processEvents();
                    QTest::qWait(20);
                    const QString name = u"layout-%1-%2x%3-%4"_s.arg(language)
                                             .arg(size.width())
                                             .arg(size.height())
                                             .arg(tabs->widget(index)->objectName().isEmpty()
                                                      ? QString::number(index)
                                                      : tabs->widget(index)->objectName()) +
                                         (oauth ? u"-oauth"_s : QString());
                    if (const QString out = qEnvironmentVariable("RELAYDECK_SCREENSHOT_DIR");
                        !out.isEmpty())
                        QVERIFY(window.grab().save(QDir(out).filePath(name + u".png"_s)));
                    // No focus stop without a visible focus: the page's scroll area takes none.
                    QCOMPARE(tabs->currentWidget()->focusPolicy(), Qt::NoFocus);
                    const QStringList problems = clippedWidgets(&window);
                    if (!problems.isEmpty())
                        QFAIL(qPrintable(name + u":\n  "_s + problems.join(u"\n  "_s)));
                }
            }
        }
    }

    // The trust dialog on an 800×500 screen: it fits the screen, and nothing in it is cut off
    // (the radio buttons' texts in particular, which do not wrap).
    void checkTrustDialog(const QString& language)
    {
        CertificateTrustDialog dialog(trustOffer());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCoreApplication::processEvents();
        const QString name = u"layout-%1-certificate-trust"_s.arg(language);
        if (const QString out = qEnvironmentVariable("RELAYDECK_SCREENSHOT_DIR"); !out.isEmpty())
            QVERIFY(dialog.grab().save(QDir(out).filePath(name + u".png"_s)));
        QVERIFY2(dialog.width() <= 800 && dialog.height() <= 500,
                 qPrintable(u"%1: %2×%3 does not fit an 800×500 screen"_s.arg(name)
                                .arg(dialog.width())
                                .arg(dialog.height())));
        for (const char* choice : {"trustIssuerChoice", "trustLeafChoice"}) {
            auto* button = dialog.findChild<QAbstractButton*>(QString::fromLatin1(choice));
            QVERIFY(button && button->isVisible());
            QVERIFY2(button->width() >= button->sizeHint().width(),
                     qPrintable(u"%1: %2 is cut off"_s.arg(name, describe(button))));
        }
        const QStringList problems = clippedWidgets(&dialog);
        if (!problems.isEmpty())
            QFAIL(qPrintable(name + u":\n  "_s + problems.join(u"\n  "_s)));
    }

private slots:
    void initTestCase()
    {
        installTestTranslations();
        dir = std::make_unique<QTemporaryDir>();
        keychain = std::make_unique<MemorySecretStore>();
        prompter = std::make_unique<ScriptedPrompter>();
        ProfileStore store(dir->path());
        QVERIFY(store.load().ok());
        QVERIFY(store.add(sample()).ok());
        QVERIFY(store.add(oauthSample()).ok());
    }

    void fitsInEnglish()
    {
        checkEveryTab(u"en"_s);
        checkTrustDialog(u"en"_s);
    }

    void fitsInGerman()
    {
        Translations::install(*qApp, QLocale(QLocale::German, QLocale::Germany));
        checkEveryTab(u"de"_s);
        checkTrustDialog(u"de"_s);
    }
};

QTEST_MAIN(TestLayoutFit)
#include "tst_layoutfit.moc"
