#include "CertificateTrustDialog.h"

#include "i18n/LocalDates.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {

QLabel* plainLabel(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// The consequence of a choice, word-wrapped under its radio button (a radio button's own text
// does not wrap, and a long one is cut off in narrow windows and in German).
QLabel* explanation(const QString& text, QWidget* parent)
{
    QLabel* label = plainLabel(text, parent);
    label->setContentsMargins(24, 0, 0, 0);
    return label;
}

// Subject, (issuer,) validity and fingerprint of one certificate, indented under its choice.
QWidget* certificateBox(const CertificateInfo& certificate, bool withIssuer, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* form = new QFormLayout(box);
    form->setContentsMargins(24, 0, 0, 0);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(CertificateTrustDialog::tr("Subject:"), plainLabel(certificate.subject, box));
    if (withIssuer)
        form->addRow(CertificateTrustDialog::tr("Issuer:"), plainLabel(certificate.issuer, box));
    form->addRow(CertificateTrustDialog::tr("Valid until:"),
                 plainLabel(LocalDates::dateTime(certificate.notAfter), box));
    // 95 characters that cannot wrap: two lines of 16 bytes each, to fit an 800 px screen.
    QStringList bytes = certificate.sha256.split(u':');
    QString shown = certificate.sha256;
    if (bytes.size() > 16)
        shown = bytes.mid(0, 16).join(u':') + u":\n"_s + bytes.mid(16).join(u':');
    QLabel* fingerprint = plainLabel(shown, box);
    fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form->addRow(CertificateTrustDialog::tr("SHA-256:"), fingerprint);
    return box;
}

} // namespace

CertificateTrustDialog::CertificateTrustDialog(const CertificateTrustOffer& offer, QWidget* parent)
    : QDialog(parent)
    , m_issuer(new QRadioButton(tr("Trust the &issuing CA"), this))
    , m_leaf(new QRadioButton(tr("Trust this &certificate only (a pin)"), this))
{
    setWindowTitle(tr("Trust This Certificate?"));
    setObjectName(u"certificateTrustDialog"_s);
    m_issuer->setObjectName(u"trustIssuerChoice"_s);
    m_leaf->setObjectName(u"trustLeafChoice"_s);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(plainLabel(
        tr("The certificate of \"%1\" could not be verified:").arg(offer.connection), this));
    QLabel* problems = plainLabel(offer.problems.join(u'\n'), this);
    problems->setObjectName(u"trustProblems"_s);
    problems->setContentsMargins(24, 0, 0, 0);
    layout->addWidget(problems);
    layout->addSpacing(8);

    if (offer.issuer) {
        layout->addWidget(m_issuer);
        layout->addWidget(explanation(
            tr("Certificates it issues for this server, renewals included, are accepted. It is "
               "saved as this connection's CA file in Relaydeck's data folder."),
            this));
        layout->addWidget(certificateBox(*offer.issuer, false, this));
    } else {
        m_issuer->hide();
    }
    layout->addWidget(m_leaf);
    layout->addWidget(
        explanation(tr("A renewed certificate will need your confirmation again."), this));
    layout->addWidget(certificateBox(offer.leaf, !offer.issuer, this));
    layout->addSpacing(8);
    layout->addWidget(plainLabel(tr("Compare the fingerprint with the one the server's "
                                    "administrator gives you before you trust it."),
                                 this));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* accept =
        buttons->addButton(tr("&Trust and Test Again"), QDialogButtonBox::AcceptRole);
    accept->setObjectName(u"trustAcceptButton"_s);
    accept->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    (offer.issuer ? m_issuer : m_leaf)->setChecked(true);
    // Wide enough to read the names at a glance, tall enough for the wrapped texts at that width.
    const int width = std::max(560, minimumSizeHint().width());
    resize(width, std::max(heightForWidth(width), minimumSizeHint().height()));
}

CertificateTrust CertificateTrustDialog::choice() const
{
    return m_issuer->isChecked() ? CertificateTrust::IssuingCa : CertificateTrust::LeafOnly;
}

} // namespace relaydeck::ui
