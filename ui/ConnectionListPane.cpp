#include "ConnectionListPane.h"

#include "ConnectionItemDelegate.h"
#include "ConnectionListModel.h"
#include "FirstFrame.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace relaydeck::ui {

ConnectionListPane::ConnectionListPane(QWidget* parent)
    : QWidget(parent)
    , m_model(new ConnectionListModel(this))
    , m_filter(new QSortFilterProxyModel(this))
    , m_list(new QListView(this))
{
    setObjectName(u"listPane"_s);
    m_filter->setSourceModel(m_model);
    m_filter->setFilterRole(ConnectionListModel::SearchTextRole);
    m_filter->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setSortLocaleAware(true);
    m_filter->sort(0);

    auto* filterEdit = new QLineEdit(this);
    filterEdit->setObjectName(u"filterEdit"_s);
    filterEdit->setPlaceholderText(tr("Name, server or user"));
    FirstFrame::enableClearButton(filterEdit);
    auto* filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(filterEdit);
    m_list->setObjectName(u"connectionList"_s);
    m_list->setModel(m_filter);
    m_list->setItemDelegate(new ConnectionItemDelegate(m_list));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setUniformItemSizes(true);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(filterLabel);
    filterRow->addWidget(filterEdit, 1);
    layout->addLayout(filterRow);
    layout->addWidget(m_list, 1);

    connect(filterEdit, &QLineEdit::textChanged, m_filter,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (m_ignoreSelection)
                    return;
                const QUuid id = current.data(ConnectionListModel::IdRole).toUuid();
                if (!id.isNull())
                    emit currentRequested(id);
            });
}

void ConnectionListPane::setProfiles(const QList<ConnectionProfile>& profiles)
{
    const QSignalBlocker blocker(m_list->selectionModel());
    m_ignoreSelection = true;
    m_model->setProfiles(profiles);
    m_ignoreSelection = false;
}

void ConnectionListPane::setCurrent(const QUuid& id)
{
    const int row = m_model->rowOf(id);
    const QModelIndex index =
        row < 0 ? QModelIndex() : m_filter->mapFromSource(m_model->index(row));
    m_ignoreSelection = true;
    if (index.isValid())
        m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    else
        m_list->selectionModel()->clearSelection();
    m_ignoreSelection = false;
}

void ConnectionListPane::clearCurrent()
{
    m_ignoreSelection = true;
    m_list->selectionModel()->clear();
    m_ignoreSelection = false;
}

void ConnectionListPane::setCurrentLater(const QUuid& id)
{
    QMetaObject::invokeMethod(
        this,
        [this, id] {
            if (m_model->rowOf(id) >= 0)
                setCurrent(id);
            else
                clearCurrent();
        },
        Qt::QueuedConnection);
}

int ConnectionListPane::visibleRowOf(const QUuid& id) const
{
    return m_filter->mapFromSource(m_model->index(m_model->rowOf(id))).row();
}

int ConnectionListPane::visibleCount() const
{
    return m_filter->rowCount();
}

QUuid ConnectionListPane::idAtVisibleRow(int row) const
{
    if (m_filter->rowCount() == 0)
        return QUuid();
    return m_filter->index(std::min(row, m_filter->rowCount() - 1), 0)
        .data(ConnectionListModel::IdRole)
        .toUuid();
}

} // namespace relaydeck::ui
