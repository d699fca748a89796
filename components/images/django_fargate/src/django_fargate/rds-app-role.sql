-- The application's own role on a managed Postgres (RDS), run by rds_app_role.py beside it as
-- the master user RDS created, in one transaction, at every start of a web task (its db-init
-- container). The runner hands the values over as transaction-local settings
-- (django_tw.app_user, django_tw.app_password, django_tw.db_name), so this file holds plain SQL.
--
-- The master user is not a superuser on RDS (rds_superuser: CREATEROLE, CREATEDB), so this
-- needs nothing more. It makes the role if missing (LOGIN and nothing else: no SUPERUSER,
-- CREATEDB, CREATEROLE, REPLICATION, BYPASSRLS), sets its password (so a changed password takes
-- effect at the next start), and hands it the database and the database's public schema
-- (PostgreSQL 15+: owned by the database owner). Django's migrations then run as that role.
-- Safe to run again, and by several tasks at once: every step checks first, under one lock.
DO $$
DECLARE
    app_user text := current_setting('django_tw.app_user');
    app_password text := current_setting('django_tw.app_password');
    db_name text := current_setting('django_tw.db_name');
    unsafe text;
BEGIN
    -- Tasks that start together take turns: CREATE ROLE and ALTER ROLE of one role race.
    PERFORM pg_advisory_xact_lock(hashtext('django_tw.rds_app_role'));
    IF app_user IN ('postgres', 'rdsadmin', current_user) THEN
        RAISE EXCEPTION 'app_user % is an administrator; give the application its own role',
            app_user;
    END IF;
    IF length(app_password) < 32 THEN
        RAISE EXCEPTION 'app_password is shorter than 32 characters';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_user) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', app_user);
    END IF;
    SELECT string_agg(attribute, ', ') INTO unsafe FROM pg_roles,
        LATERAL (VALUES ('SUPERUSER', rolsuper), ('CREATEDB', rolcreatedb),
                        ('CREATEROLE', rolcreaterole), ('REPLICATION', rolreplication),
                        ('BYPASSRLS', rolbypassrls)) AS granted(attribute, held)
        WHERE rolname = app_user AND held;
    IF unsafe IS NOT NULL THEN
        RAISE EXCEPTION 'role % holds %; the application role must hold none of them',
            app_user, unsafe;
    END IF;
    EXECUTE format('ALTER ROLE %I WITH LOGIN PASSWORD %L', app_user, app_password);
    -- Handing an object to a role needs the right to SET ROLE to it (PostgreSQL 16+). The
    -- creator of a role is a member WITH ADMIN OPTION but, unless createrole_self_grant says
    -- otherwise, without SET, so membership alone is not enough:
    -- https://www.postgresql.org/docs/18/sql-alterdatabase.html
    -- https://www.postgresql.org/docs/18/runtime-config-client.html#GUC-CREATEROLE-SELF-GRANT
    IF NOT pg_has_role(current_user, app_user, 'SET') THEN
        EXECUTE format('GRANT %I TO %I WITH SET TRUE, INHERIT FALSE', app_user, current_user);
    END IF;
    EXECUTE format('ALTER DATABASE %I OWNER TO %I', db_name, app_user);
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db_name);
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', db_name, app_user);
END
$$;
