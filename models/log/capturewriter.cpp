#include "log/capturewriter.h"

CaptureWriter::CaptureWriter(std::shared_ptr<Capture> capture, QObject *parent)
    : QObject(parent)
    , m_capture(std::move(capture))
{
}

CaptureWriter::~CaptureWriter()
{
    publish();
}

void CaptureWriter::record(const WireEvent &event)
{
    if (!m_holding) {
        m_capture->m_writing.lock();
        m_holding = true;
        // At the end of this turn: what it recorded becomes visible together.
        QMetaObject::invokeMethod(this, &CaptureWriter::publish, Qt::QueuedConnection);
    }
    m_capture->write(event);
    if (++m_unpublished >= PublishEvery) {
        m_unpublished = 0;
        m_capture->publish();
    }
}

void CaptureWriter::publish()
{
    if (!m_holding)
        return;
    m_capture->publish();
    m_unpublished = 0;
    m_holding = false;
    m_capture->m_writing.unlock();
}
