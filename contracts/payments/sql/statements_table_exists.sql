SELECT count(*) FROM information_schema.tables WHERE table_schema = 'payments' AND table_name = 'statements'
