#include "DetectDialog.h"

#include "DesktopWording.h"

#include "detect/CandidateRanking.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScreen>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

namespace {
constexpr int sourceColumn = 5;
constexpr int verdictColumn = 6;
// No column but the verdict grows wider than this; the tool tip has the whole text.
constexpr int widestColumn = 180;
constexpr int narrowestColumn = 48;
constexpr int narrowestVerdict = 140;
} // namespace

DetectDialog::DetectDialog(QWidget* parent)
    : QDialog(parent)
    , m_query(new QLineEdit(this))
    , m_detect(new QPushButton(tr("Detect"), this))
    , m_list(new QTreeWidget(this))
    , m_verdict(new QLabel(this))
    , m_status(new QLabel(this))
    , m_confirm(new QCheckBox(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
    , m_use(m_buttons->addButton(tr("Use"), QDialogButtonBox::AcceptRole))
{
    setWindowTitle(tr("New from Address"));
    m_query->setObjectName(u"detectQuery"_s);
    m_query->setPlaceholderText(tr("admin@example.org or example.org"));
    m_detect->setObjectName(u"detectStart"_s);
    m_list->setObjectName(u"detectCandidates"_s);
    m_verdict->setObjectName(u"detectVerdict"_s);
    m_status->setObjectName(u"detectStatus"_s);
    m_confirm->setObjectName(u"detectConfirmOtherDomain"_s);
    m_use->setObjectName(u"detectUse"_s);
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Host"), tr("Port"), tr("Security"), tr("Mechanisms"),
                             tr("Certificate"), tr("Source"), tr("Verdict")});
    // The columns fit their contents up to widestColumn and the verdict takes the rest, so the
    // list does not scroll sideways on a small screen; the selected verdict is shown in full below.
    m_list->header()->setStretchLastSection(true);
    m_list->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_list->setTextElideMode(Qt::ElideRight);
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Two lines reserved, so the list does not jump when a candidate is selected.
    m_verdict->setMinimumHeight(2 * m_verdict->fontMetrics().lineSpacing());
    m_verdict->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_status->setWordWrap(true);
    m_confirm->setVisible(false);

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Address or domain:"), this));
    row->addWidget(m_query, 1);
    row->addWidget(m_detect);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_verdict);
    layout->addWidget(m_status);
    layout->addWidget(m_confirm);
    layout->addWidget(m_buttons);
    QSize size(820, 440);
    if (const QScreen* screen = this->screen())
        size = size.boundedTo(screen->availableGeometry().size() * 0.95);
    resize(size);

    connect(m_detect, &QPushButton::clicked, this, &DetectDialog::startDetection);
    connect(m_query, &QLineEdit::returnPressed, this, &DetectDialog::startDetection);
    connect(m_list, &QTreeWidget::currentItemChanged, this, &DetectDialog::updateButtons);
    connect(m_confirm, &QCheckBox::toggled, this, &DetectDialog::updateButtons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateButtons();
}

void DetectDialog::setQuery(const QString& query)
{
    m_query->setText(query);
}

void DetectDialog::startDetection()
{
    if (m_detector) {
        m_detector->disconnect(this);
        m_detector->cancel();
        m_detector->deleteLater();
    }
    m_candidates.clear();
    refreshList();
    m_detector = new SettingsDetector(this);
    connect(m_detector, &SettingsDetector::candidateChanged, this, &DetectDialog::showCandidate);
    connect(m_detector, &SettingsDetector::finished, this, &DetectDialog::showFinished);
    if (const Result<void> started = m_detector->start(m_query->text(), m_options); !started) {
        m_status->setText(started.failure().message);
        return;
    }
    m_detect->setEnabled(false);
    m_status->setText(tr("Probing every candidate (up to %1 s after the DNS answers); no "
                         "password is sent…")
                          .arg(m_options.timeoutSeconds));
}

void DetectDialog::showCandidate(const DetectedCandidate& candidate)
{
    bool replaced = false;
    for (DetectedCandidate& known : m_candidates) {
        if (known.key() == candidate.key()) {
            known = candidate;
            replaced = true;
        }
    }
    if (!replaced)
        m_candidates.append(candidate);
    m_candidates = CandidateRanking::sorted(m_candidates);
    refreshList();
}

void DetectDialog::showFinished()
{
    m_detect->setEnabled(true);
    const bool usable = !m_candidates.isEmpty() && m_candidates.first().usable();
    m_status->setText(usable ? tr("Done: the best candidate is selected.")
                             : tr("Done: no usable candidate was found."));
}

void DetectDialog::refreshList()
{
    const std::optional<DetectedCandidate> selected = chosenCandidate();
    m_list->clear();
    QTreeWidgetItem* select = nullptr;
    for (const DetectedCandidate& candidate : std::as_const(m_candidates)) {
        QString certificate;
        if (candidate.probe.tls.used && !candidate.probe.tls.chain.isEmpty())
            certificate = !candidate.certificateMatches() ? tr("for another name")
                          : candidate.probe.tls.verified  ? tr("valid")
                                                          : tr("not trusted");
        auto* item = new QTreeWidgetItem(
            m_list, {candidate.host, QString::number(candidate.port),
                     DesktopWording::securityWords(candidate.security),
                     candidate.probe.server.authMechanisms.join(u' '), certificate,
                     DesktopWording::sourceWords(candidate.primarySource()),
                     DesktopWording::verdictWords(candidate)});
        item->setData(0, Qt::UserRole, candidate.key());
        // Columns may be narrower than their text (the verdict often is): the tool tip has it.
        for (int column = 0; column < m_list->columnCount(); ++column)
            item->setToolTip(column, item->text(column));
        // Every source that named the candidate, not only the one shown.
        QStringList sources;
        for (CandidateSource source : candidate.sources)
            sources << DesktopWording::sourceWords(source);
        sources.removeDuplicates();
        item->setToolTip(sourceColumn, sources.join(u", "_s));
        if (selected && selected->key() == candidate.key())
            select = item;
    }
    // The best one preselected, unless the admin picked another.
    if (!select && m_list->topLevelItemCount() > 0 && m_candidates.first().usable())
        select = m_list->topLevelItem(0);
    if (select)
        m_list->setCurrentItem(select);
    fitColumns();
    updateButtons();
}

void DetectDialog::fitColumns()
{
    // Each column as wide as its contents (up to widestColumn). When they do not fit beside a
    // readable verdict, the least telling columns give up width first (certificate, source,
    // mechanisms, security, then the host; never the port), so the list never scrolls sideways
    // and the verdict below has the whole text.
    QList<int> widths;
    int total = 0;
    for (int column = 0; column < verdictColumn; ++column) {
        m_list->resizeColumnToContents(column);
        widths << qMin(m_list->columnWidth(column), widestColumn);
        total += widths.last();
    }
    int excess = total - (m_list->viewport()->width() - narrowestVerdict);
    for (const int column : {4, sourceColumn, 3, 2, 0}) {
        if (excess <= 0)
            break;
        const int give = qMin(excess, qMax(0, widths.at(column) - narrowestColumn));
        widths[column] -= give;
        excess -= give;
    }
    for (int column = 0; column < verdictColumn; ++column)
        m_list->setColumnWidth(column, widths.at(column));
}

void DetectDialog::resizeEvent(QResizeEvent* event)
{
    QDialog::resizeEvent(event);
    fitColumns();
}

std::optional<DetectedCandidate> DetectDialog::chosenCandidate() const
{
    const QTreeWidgetItem* item = m_list->currentItem();
    if (!item)
        return std::nullopt;
    const QString key = item->data(0, Qt::UserRole).toString();
    for (const DetectedCandidate& candidate : m_candidates)
        if (candidate.key() == key)
            return candidate;
    return std::nullopt;
}

std::optional<ConnectionProfile> DetectDialog::chosenProfile() const
{
    const std::optional<DetectedCandidate> candidate = chosenCandidate();
    if (!candidate)
        return std::nullopt;
    ConnectionProfile profile = candidate->toProfile();
    profile.tls.caFile = m_options.caFile;
    return profile;
}

void DetectDialog::updateButtons()
{
    const std::optional<DetectedCandidate> candidate = chosenCandidate();
    const bool otherDomain = candidate && candidate->otherDomain;
    m_verdict->setText(candidate ? tr("%1:%2 — %3")
                                       .arg(candidate->host)
                                       .arg(candidate->port)
                                       .arg(DesktopWording::verdictWords(*candidate))
                                 : QString());
    m_confirm->setVisible(otherDomain);
    if (otherDomain)
        m_confirm->setText(tr("%1 is in another domain than the address: I confirm it is the "
                              "right server")
                               .arg(candidate->host));
    m_use->setEnabled(candidate && candidate->usable() && (!otherDomain || m_confirm->isChecked()));
}

} // namespace relaydeck::ui
