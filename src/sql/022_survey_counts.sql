-- Counting answers per question and value walks this index in order
-- instead of sorting every answer of a survey (200 ms at 100,000
-- responses without it).
CREATE INDEX survey_answers_value ON survey_answers(question_id, value);
