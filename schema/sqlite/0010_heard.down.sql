DROP TABLE heard_answers;
DROP TABLE heard_markers;
