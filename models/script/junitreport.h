#pragma once

#include <QIODevice>
#include <QList>
#include <QString>
#include <QStringList>

// JUnit XML, as CI systems read it (Jenkins, GitLab, GitHub's test reporters): one <testsuite> for
// the run, one <testcase> per test file, a <failure> with the failing step, and the transcript of
// what crossed the wire in <system-out>.
class JunitReport {
public:
    struct Case {
        QString name; // the test file as given
        QString className; // the URL tested
        double seconds = 0;
        bool passed = false;
        QString failure; // the failing step and why; empty when passed
        QStringList transcript;
    };

    QString suiteName = QStringLiteral("wsinspector-cli");
    QList<Case> cases;

    bool write(QIODevice *device) const;
    QByteArray toXml() const;
};
