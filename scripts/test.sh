#!/usr/bin/env bash
# Runs every test: makes sure what the tests need is installed and running
# (PostgreSQL at 127.0.0.1:5432, Chromium for the browser tests, LibreOffice
# for the Word-document tests), then runs
# `cargo test --workspace`. The README's second command; CI runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

ensure_postgres() {
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
        log "Cài PostgreSQL từ Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
        local conf
        conf=$(ls -d /etc/postgresql/*/main | head -n1)
        # Tests connect over TCP as postgres without a password, as on the dev machines.
        printf 'host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust\n' > "$conf/pg_hba.conf"
    fi
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        log "Khởi động PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    fi
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
    pg_isready -h 127.0.0.1 -p 5432
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 \
        || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE test"
}

ensure_chromium() {
    # The browser tests drive Debian's Chromium through chromedriver.
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        log "Cài Chromium và chromedriver từ Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq chromium chromium-driver >/dev/null
    fi
    /usr/bin/chromium --version
}

ensure_libreoffice() {
    # The Word-document tests convert .docx to PDF with LibreOffice; Liberation
    # Serif has Times New Roman's metrics; poppler-utils gives pdfinfo, pdftotext, pdftoppm.
    # The .xls/.ods import tests convert workbooks with LibreOffice Calc.
    if ! command -v libreoffice >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 \
        || ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 \
        || [ -z "$(fc-list 'Liberation Serif' 2>/dev/null)" ]; then
        log "Cài LibreOffice Writer và Calc, phông Liberation và poppler-utils từ Debian"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation poppler-utils >/dev/null
    fi
    libreoffice --version
}

ensure_postgres
ensure_chromium
ensure_libreoffice

log "Chạy toàn bộ kiểm thử (SQLite và PostgreSQL)"
cargo test --workspace "$@"
