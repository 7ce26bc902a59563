-- Audit memo — the public participant-weeks are exactly the stored ones
-- Invariant: marts.fct_participant_weeks has exactly as many rows as
--            intermediate.int_participant_weeks_classified (its joins to the participant keys
--            and the calendar labels neither drop nor duplicate a week).
-- Why here:  the data tests of the participant-weeks run on the compact table; this makes them
--            hold for the public view too.
-- Nulls:     not applicable (row counts).
with counts as (
    select
        (select count(*) from {{ ref('fct_participant_weeks') }}) as public_rows,
        (select count(*) from {{ ref('int_participant_weeks_classified') }}) as stored_rows
)

select * from counts where public_rows <> stored_rows
